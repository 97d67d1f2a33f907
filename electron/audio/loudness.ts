// ITU-R BS.1770-4 loudness: K-weighting, mean square per channel, 400 ms blocks with 75 % overlap,
// absolute gate at −70 LUFS and relative gate 10 LU below the ungated mean. Our own implementation
// (the only npm meter, ebur128-wasm, cannot be imported cleanly in Node; see docs/audio.md), checked
// against the EBU test-signal values in tests/unit/audio-loudness.test.ts.
// The two K-weighting biquads are derived for any sample rate from their analog prototypes with
// the bilinear transform; at 48 kHz this reproduces the coefficient table printed in BS.1770-4.
import type { AudioData } from './audio-data';
import { assertAudioData } from './audio-data';

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Stage 1 (head-related high shelf, +4 dB above ~1.7 kHz) and stage 2 (RLB high-pass at ~38 Hz). */
export function kWeightingFilters(sampleRate: number): [Biquad, Biquad] {
  const shelfF0 = 1681.974450955533;
  const shelfGainDb = 3.999843853973347;
  const shelfQ = 0.7071752369554196;
  let k = Math.tan((Math.PI * shelfF0) / sampleRate);
  const vh = Math.pow(10, shelfGainDb / 20);
  const vb = Math.pow(vh, 0.4996667741545416);
  let a0 = 1 + k / shelfQ + k * k;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / shelfQ + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / shelfQ + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / shelfQ + k * k) / a0,
  };
  const hpF0 = 38.13547087602444;
  const hpQ = 0.5003270373238773;
  k = Math.tan((Math.PI * hpF0) / sampleRate);
  a0 = 1 + k / hpQ + k * k;
  const highpass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / hpQ + k * k) / a0 };
  return [shelf, highpass];
}

/** Channel weights of BS.1770-4 for the usual layouts: L, R, C at 1.0; LFE excluded; surrounds 1.41. */
export function channelWeights(channelCount: number): number[] {
  if (channelCount === 6) return [1, 1, 1, 0, 1.41, 1.41]; // L R C LFE Ls Rs (WAVE order)
  if (channelCount === 5) return [1, 1, 1, 1.41, 1.41];
  return Array.from({ length: channelCount }, () => 1);
}

/** Sums of K-weighted squares over consecutive 100 ms steps, one array per channel. */
function weightedStepEnergies(audio: AudioData): { steps: Float64Array[]; stepCount: number; boundaries: number[] } {
  const [shelf, hp] = kWeightingFilters(audio.sampleRate);
  const n = audio.channels[0]!.length;
  const stepCount = Math.floor((n * 10) / audio.sampleRate);
  const boundaries = Array.from({ length: stepCount + 1 }, (_, i) => Math.round((i * audio.sampleRate) / 10));
  const steps = audio.channels.map((x) => {
    const energy = new Float64Array(stepCount);
    let s1x1 = 0,
      s1x2 = 0,
      s1y1 = 0,
      s1y2 = 0,
      s2y1 = 0,
      s2y2 = 0;
    let step = 0;
    let nextBoundary = boundaries[1] ?? Infinity;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      const y1 = shelf.b0 * xi + shelf.b1 * s1x1 + shelf.b2 * s1x2 - shelf.a1 * s1y1 - shelf.a2 * s1y2;
      s1x2 = s1x1;
      s1x1 = xi;
      // Stage 2 input is stage 1 output; its history of inputs is s1y1/s1y2.
      const y2 = y1 - 2 * s1y1 + s1y2 - hp.a1 * s2y1 - hp.a2 * s2y2;
      s1y2 = s1y1;
      s1y1 = y1;
      s2y2 = s2y1;
      s2y1 = y2;
      acc += y2 * y2;
      if (i + 1 === nextBoundary) {
        energy[step] = acc;
        acc = 0;
        step++;
        nextBoundary = boundaries[step + 1] ?? Infinity;
      }
    }
    return energy;
  });
  return { steps, stepCount, boundaries };
}

const ABSOLUTE_GATE = -70;
const RELATIVE_GATE = -10;
const toLufs = (meanSquare: number): number => -0.691 + 10 * Math.log10(meanSquare);

export interface LoudnessReport {
  /** Gated integrated loudness in LUFS; −Infinity for silence or audio under 400 ms. */
  integrated: number;
  /** Highest momentary (400 ms) loudness in LUFS. */
  momentaryMax: number;
  /** Loudness of each 400 ms block (hop 100 ms), LUFS, for plots and tests. */
  blockLoudness: Float64Array;
}

/** Integrated loudness per ITU-R BS.1770-4 / EBU R 128 of the whole buffer. */
export function measureLoudness(audio: AudioData): LoudnessReport {
  assertAudioData(audio);
  const { steps, stepCount, boundaries } = weightedStepEnergies(audio);
  const weights = channelWeights(audio.channels.length);
  const blockCount = Math.max(0, stepCount - 3);
  const blockPower = new Float64Array(blockCount);
  for (let b = 0; b < blockCount; b++) {
    const samples = boundaries[b + 4]! - boundaries[b]!;
    let sum = 0;
    steps.forEach((energy, c) => {
      sum += (weights[c] ?? 1) * (energy[b]! + energy[b + 1]! + energy[b + 2]! + energy[b + 3]!);
    });
    blockPower[b] = sum / samples;
  }
  const blockLoudness = blockPower.map(toLufs);
  let momentaryMax = -Infinity;
  for (const l of blockLoudness) momentaryMax = Math.max(momentaryMax, l);
  const gatedMean = (threshold: number): number => {
    let sum = 0;
    let count = 0;
    for (let b = 0; b < blockCount; b++) {
      if (blockLoudness[b]! > threshold) {
        sum += blockPower[b]!;
        count++;
      }
    }
    return count > 0 ? sum / count : 0;
  };
  const absMean = gatedMean(ABSOLUTE_GATE);
  if (absMean === 0) return { integrated: -Infinity, momentaryMax, blockLoudness };
  const relativeThreshold = Math.max(ABSOLUTE_GATE, toLufs(absMean) + RELATIVE_GATE);
  const integrated = toLufs(gatedMean(relativeThreshold));
  return { integrated, momentaryMax, blockLoudness };
}

/** Shorthand for measureLoudness(audio).integrated. */
export function integratedLoudness(audio: AudioData): number {
  return measureLoudness(audio).integrated;
}
