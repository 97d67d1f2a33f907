// Loudness normalisation (default −16 LUFS integrated, true peak ≤ −1 dBTP) and loudness matching
// for A/B comparison. Piano has a high peak-to-loudness ratio, so a plain gain to −16 LUFS often
// pushes peaks above 0 dBFS; a transparent look-ahead peak limiter then holds the peaks under the
// ceiling, and the gain is re-measured and corrected until the loudness is within 0.1 LU of target.
import type { AudioData } from './audio-data';
import { applyGain, assertAudioData, dbToGain } from './audio-data';
import { integratedLoudness } from './loudness';
import { truePeakDb } from './true-peak';
import { StudioFailure } from '../shared/failure';

export const DEFAULT_TARGET_LUFS = -16;
export const DEFAULT_TRUE_PEAK_CEILING_DB = -1;

export interface LimiterOptions {
  /** Highest allowed sample magnitude, linear. */
  ceiling: number;
  lookaheadSeconds?: number;
  releaseSeconds?: number;
}

/**
 * Offline look-ahead limiter: the gain at each sample is the smoothed minimum of the gains the next
 * `lookahead` samples need, so it starts falling before a peak arrives (no overshoot, no clicks),
 * then recovers exponentially. The same gain is applied to all channels (no image shift).
 */
export function limitPeaks(audio: AudioData, options: LimiterOptions): AudioData {
  const gain = limiterGain(audio.channels, audio.sampleRate, options);
  return applyGainCurve(audio, gain);
}

/**
 * The limiter's gain curve for a set of detector channels (all the same length): one value per
 * sample that keeps every channel under the ceiling. Linked: stems and their mix get one curve.
 */
export function limiterGain(
  detector: readonly Float32Array[],
  sampleRate: number,
  options: LimiterOptions,
): Float32Array {
  const n = detector[0]!.length;
  const lookahead = Math.max(1, Math.round((options.lookaheadSeconds ?? 0.002) * sampleRate));
  const releaseCoeff = 1 - Math.exp(-1 / ((options.releaseSeconds ?? 0.08) * sampleRate));
  const need = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let peak = 0;
    for (const c of detector) peak = Math.max(peak, Math.abs(c[i]!));
    need[i] = peak > options.ceiling ? options.ceiling / peak : 1;
  }
  // Forward-looking sliding minimum over [i, i + lookahead] with a monotonic deque.
  const futureMin = new Float32Array(n);
  const deque = new Int32Array(n + lookahead + 1);
  let head = 0;
  let tail = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    const until = Math.min(n - 1, i + lookahead);
    for (; next <= until; next++) {
      while (tail > head && need[deque[tail - 1]!]! >= need[next]!) tail--;
      deque[tail++] = next;
    }
    while (deque[head]! < i) head++;
    futureMin[i] = need[deque[head]!]!;
  }
  // Moving average of length `lookahead` over the past values: never above what sample i needs.
  const gain = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += futureMin[i]!;
    if (i >= lookahead) sum -= futureMin[i - lookahead]!;
    const smooth = sum / Math.min(i + 1, lookahead);
    const previous = i > 0 ? gain[i - 1]! : 1;
    const released = previous + (1 - previous) * releaseCoeff;
    gain[i] = Math.min(smooth, released, need[i]!);
  }
  return gain;
}

/** Multiplies every channel by a per-sample gain curve (times an optional constant), returning new arrays. */
export function applyGainCurve(audio: AudioData, curve: Float32Array, constant = 1): AudioData {
  const n = audio.channels[0]!.length;
  if (curve.length !== n)
    throw new StudioFailure('invalid-argument', `a gain curve of ${curve.length} samples cannot apply to ${n}`);
  return {
    sampleRate: audio.sampleRate,
    channels: audio.channels.map((c) => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = c[i]! * curve[i]! * constant;
      return out;
    }),
  };
}

export interface NormalizeOptions {
  targetLufs?: number;
  truePeakCeilingDb?: number;
}

export interface NormalizeResult {
  audio: AudioData;
  inputLufs: number;
  outputLufs: number;
  /** Gain applied before limiting, dB. */
  gainDb: number;
  truePeakDb: number;
  /** True when the limiter had to act to respect the ceiling. */
  limited: boolean;
  /**
   * The whole gain, sample by sample (normalisation times limiting): `audio` is the input times this
   * curve. Stems multiplied by the same curve still add up to the normalised mix.
   */
  gain: Float32Array;
}

/** Brings `audio` to the target integrated loudness with its true peak at or below the ceiling. */
export function normalizeLoudness(audio: AudioData, options: NormalizeOptions = {}): NormalizeResult {
  assertAudioData(audio);
  const target = options.targetLufs ?? DEFAULT_TARGET_LUFS;
  const ceilingDb = options.truePeakCeilingDb ?? DEFAULT_TRUE_PEAK_CEILING_DB;
  const inputLufs = integratedLoudness(audio);
  if (!Number.isFinite(inputLufs)) {
    throw new StudioFailure('bad-input', 'the audio is silent (no block above −70 LUFS), so it cannot be normalised');
  }
  let gainDb = target - inputLufs;
  let sampleCeilingDb = ceilingDb - 0.3; // inter-sample overs can exceed sample peaks slightly
  let limited = false;
  let best: NormalizeResult | undefined;
  const n = audio.channels[0]!.length;
  // Each round is peak-safe; the gain is corrected until limiting no longer pulls the loudness off target.
  for (let round = 0; round < 10; round++) {
    const constant = dbToGain(gainDb);
    let gain: Float32Array = new Float32Array(n).fill(constant);
    let result = applyGain(audio, constant);
    let tp = truePeakDb(result);
    for (let tries = 0; tp > ceilingDb && tries < 6; tries++) {
      limited = true;
      const scaled = applyGain(audio, constant);
      gain = limiterGain(scaled.channels, audio.sampleRate, { ceiling: dbToGain(sampleCeilingDb) });
      for (let i = 0; i < n; i++) gain[i]! *= constant;
      result = applyGainCurve(audio, gain);
      tp = truePeakDb(result);
      if (tp > ceilingDb) sampleCeilingDb -= tp - ceilingDb + 0.1;
    }
    const outputLufs = integratedLoudness(result);
    const candidate = { audio: result, inputLufs, outputLufs, gainDb, truePeakDb: tp, limited, gain };
    if (tp <= ceilingDb && (!best || Math.abs(outputLufs - target) < Math.abs(best.outputLufs - target)))
      best = candidate;
    if (Math.abs(outputLufs - target) <= 0.05) break;
    gainDb += target - outputLufs;
  }
  if (!best)
    throw new StudioFailure('runtime', 'loudness normalisation could not keep the true peak under the ceiling');
  return best;
}

/** Gain in dB that brings audio measured at `measuredLufs` to `referenceLufs`. */
export function loudnessMatchGainDb(measuredLufs: number, referenceLufs: number): number {
  if (!Number.isFinite(measuredLufs) || !Number.isFinite(referenceLufs)) return 0;
  return referenceLufs - measuredLufs;
}

/**
 * Gains (dB) that make every take play at the same loudness for an A/B comparison: all are brought
 * to the quietest take, so matching never raises a take into clipping. Silent takes get 0 dB.
 */
export function loudnessMatchGains(measuredLufs: number[]): number[] {
  const finite = measuredLufs.filter(Number.isFinite);
  if (finite.length === 0) return measuredLufs.map(() => 0);
  const reference = Math.min(...finite);
  return measuredLufs.map((l) => loudnessMatchGainDb(l, reference));
}
