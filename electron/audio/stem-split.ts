// Stems that add up to their mix. Export delivers stems next to a mix, and a producer expects the
// stems summed to be the mix: `reconcileStems` makes that exact for stems that already nearly add up
// (the sampled grand's part renders), and `splitByMasks` divides a mix among parts that do not (the
// neural engine renders each part anew, so its parts are a guide to the mix, not pieces of it).
import type { AudioData } from './audio-data';
import { assertAudioData, toChannelCount } from './audio-data';
import { fftFor } from './fft';
import { StudioFailure } from '../shared/failure';

function assertAligned(mix: AudioData, stems: readonly AudioData[]): void {
  assertAudioData(mix, 'the mix');
  const n = mix.channels[0]!.length;
  stems.forEach((stem, k) => {
    assertAudioData(stem, `stem ${k + 1}`);
    if (stem.sampleRate !== mix.sampleRate || stem.channels[0]!.length !== n)
      throw new StudioFailure(
        'invalid-argument',
        `stem ${k + 1} (${stem.channels[0]!.length} samples at ${stem.sampleRate} Hz) does not line up with the mix (${n} at ${mix.sampleRate} Hz)`,
      );
  });
}

/**
 * Makes the stems add up to the mix exactly (to float32 rounding): what is left over at each sample,
 * mix − Σ stems summed in double precision, goes to the stem that is loudest there. For stems that
 * already add up (sampled grand) the leftover is rounding noise; the stems are otherwise unchanged.
 */
export function reconcileStems(mix: AudioData, stems: readonly AudioData[]): AudioData[] {
  if (stems.length === 0) return [];
  const shaped = stems.map((s) => toChannelCount(s, mix.channels.length));
  assertAligned(mix, shaped);
  const n = mix.channels[0]!.length;
  const out = shaped.map((s) => ({ sampleRate: s.sampleRate, channels: s.channels.map((c) => Float32Array.from(c)) }));
  mix.channels.forEach((m, c) => {
    const parts = out.map((s) => s.channels[c]!);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      let loudest = 0;
      for (let k = 0; k < parts.length; k++) {
        const v = parts[k]![i]!;
        sum += v;
        if (Math.abs(v) > Math.abs(parts[loudest]![i]!)) loudest = k;
      }
      const left = m[i]! - sum;
      if (left !== 0) parts[loudest]![i]! += left;
    }
  });
  return out;
}

export interface MaskSplitOptions {
  /** Analysis frame in samples (a power of two); default 2048 (43–64 ms at 48–32 kHz). */
  fftSize?: number;
}

/**
 * Divides the mix among the parts by soft spectral masks: in every STFT bin, part k gets the share
 * |P_k|² / Σ|P_j|² of the mix (an equal share where every part is silent). The masks add up to one
 * and the STFT (√Hann, 75 % overlap) reconstructs perfectly, so the stems add up to the mix; each
 * stem sounds like its part where the parts differ in pitch, as hands and tracks mostly do.
 */
export function splitByMasks(mix: AudioData, parts: readonly AudioData[], options: MaskSplitOptions = {}): AudioData[] {
  if (parts.length === 0) return [];
  if (parts.length === 1) return [{ sampleRate: mix.sampleRate, channels: mix.channels.map((c) => c.slice()) }];
  const shaped = parts.map((p) => toChannelCount(p, mix.channels.length));
  assertAligned(mix, shaped);
  const size = options.fftSize ?? 2048;
  const transform = fftFor(size);
  const hop = size / 4;
  const window = new Float64Array(size);
  for (let i = 0; i < size; i++) window[i] = Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
  const overlapGain = 2; // Σ of Hann windows at a quarter-frame hop
  const n = mix.channels[0]!.length;
  const count = shaped.length;
  const half = size / 2;
  const stems = shaped.map(() => mix.channels.map(() => new Float64Array(n)));
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const partPower = shaped.map(() => new Float64Array(half + 1));
  const total = new Float64Array(half + 1);
  const mixRe = new Float64Array(size);
  const mixIm = new Float64Array(size);
  const floor = 1e-12 * size;

  const load = (x: Float32Array, start: number): void => {
    for (let i = 0; i < size; i++) {
      const t = start + i;
      re[i] = t >= 0 && t < n ? x[t]! * window[i]! : 0;
      im[i] = 0;
    }
    transform.transform(re, im);
  };

  mix.channels.forEach((m, c) => {
    for (let start = hop - size; start < n; start += hop) {
      load(m, start);
      mixRe.set(re);
      mixIm.set(im);
      total.fill(0);
      shaped.forEach((part, k) => {
        load(part.channels[c]!, start);
        const power = partPower[k]!;
        for (let b = 0; b <= half; b++) {
          power[b] = re[b]! * re[b]! + im[b]! * im[b]! + floor;
          total[b]! += power[b]!;
        }
      });
      for (let k = 0; k < count; k++) {
        const power = partPower[k]!;
        for (let b = 0; b <= half; b++) {
          const mask = power[b]! / total[b]!;
          re[b] = mixRe[b]! * mask;
          im[b] = mixIm[b]! * mask;
          if (b > 0 && b < half) {
            re[size - b] = re[b]!;
            im[size - b] = -im[b]!;
          }
        }
        transform.transform(re, im, true); // scaled by 1/size
        const out = stems[k]![c]!;
        for (let i = 0; i < size; i++) {
          const t = start + i;
          if (t >= 0 && t < n) out[t]! += (re[i]! * window[i]!) / overlapGain;
        }
      }
    }
  });
  const split = stems.map((channels) => ({
    sampleRate: mix.sampleRate,
    channels: channels.map((c) => Float32Array.from(c)),
  }));
  return reconcileStems(mix, split);
}
