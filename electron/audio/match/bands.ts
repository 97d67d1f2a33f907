// Frequency bands of the performer profile: third-octave bands for the equaliser (the standard
// IEC 61260 centres 25 Hz–16 kHz, 29 bands) and octave bands for the room's decay times. Between
// centres a curve is linear in log-frequency; beyond the ends it stays flat.
import { fftFor } from '../fft';

/** Exact base-2 third-octave centres 1000·2^(k/3), k = −16…12 (nominally 25 Hz … 16 kHz). */
export const THIRD_OCTAVE_CENTRES: readonly number[] = Array.from({ length: 29 }, (_, i) => 1000 * 2 ** ((i - 16) / 3));
/** Octave centres 1000·2^k, k = −4…4 (nominally 63 Hz … 16 kHz). */
export const OCTAVE_CENTRES: readonly number[] = Array.from({ length: 9 }, (_, i) => 1000 * 2 ** (i - 4));

/** Value at `f` of a curve given at band `centres`, linear in log2(f) between them. */
export function interpolateBands(centres: readonly number[], values: readonly number[], f: number): number {
  const x = Math.log2(Math.max(f, 1e-3));
  const first = Math.log2(centres[0]!);
  const last = Math.log2(centres[centres.length - 1]!);
  if (x <= first) return values[0]!;
  if (x >= last) return values[values.length - 1]!;
  for (let i = 1; i < centres.length; i++) {
    const hi = Math.log2(centres[i]!);
    if (x <= hi) {
      const lo = Math.log2(centres[i - 1]!);
      const t = (x - lo) / (hi - lo);
      return values[i - 1]! * (1 - t) + values[i]! * t;
    }
  }
  return values[values.length - 1]!;
}

/** Interpolation weights: row per frequency, column per band (for least-squares fits of band values). */
export function interpolationMatrix(centres: readonly number[], freqs: ArrayLike<number>): Float64Array[] {
  return Array.from({ length: freqs.length }, (_, r) => {
    const row = new Float64Array(centres.length);
    for (let c = 0; c < centres.length; c++) {
      const unit = centres.map((_, j) => (j === c ? 1 : 0));
      row[c] = interpolateBands(centres, unit, freqs[r]!);
    }
    return row;
  });
}

/**
 * Long-term spectrum in third-octave bands (dB of mean power per band) of one channel: Welch
 * averaging of 8192-point Hann frames with half overlap. Only bands wholly below Nyquist are given.
 */
export function thirdOctaveSpectrum(signal: Float32Array, sampleRate: number): { centres: number[]; db: number[] } {
  const size = 8192;
  const fft = fftFor(size);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const psd = new Float64Array(size / 2 + 1);
  const window = Float64Array.from({ length: size }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
  for (let start = 0; start + size <= Math.max(size, signal.length); start += size / 2) {
    for (let i = 0; i < size; i++) {
      re[i] = (signal[start + i] ?? 0) * window[i]!;
      im[i] = 0;
    }
    fft.transform(re, im);
    for (let k = 0; k <= size / 2; k++) psd[k]! += re[k]! * re[k]! + im[k]! * im[k]!;
  }
  const binHz = sampleRate / size;
  const centres = THIRD_OCTAVE_CENTRES.filter((c) => c * 2 ** (1 / 6) < sampleRate / 2);
  const db = centres.map((c) => {
    const lo = Math.ceil((c * 2 ** (-1 / 6)) / binHz);
    const hi = Math.floor((c * 2 ** (1 / 6)) / binHz);
    let sum = 0;
    for (let k = lo; k <= Math.max(lo, hi); k++) sum += psd[k]!;
    return 10 * Math.log10(sum + 1e-20);
  });
  return { centres, db };
}

/** RMS dB difference of two band spectra after removing their mean offset (their shapes differ by this). */
export function spectrumShapeDistance(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += a[i]! - b[i]!;
  mean /= n;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (a[i]! - b[i]! - mean) ** 2;
  return Math.sqrt(sum / n);
}
