// Log-mel spectrograms and the spectral distance the performer match minimises. The distance is
// level-invariant (the best overall dB offset is removed first): a performer prompt is stored
// loudness-normalised, so only the shape over frequency and time says anything about the piano,
// the room and the touch.
import { fftFor, nextPowerOfTwo } from '../fft';

export interface MelConfig {
  sampleRate: number;
  fftSize: number;
  hop: number;
  bands: number;
  fMin: number;
  fMax: number;
}

/** Power per (frame, band), frame-major. */
export interface MelSpectrogram {
  config: MelConfig;
  frames: number;
  power: Float64Array;
}

/** 32 ms Hann windows every 10 ms, 64 mel bands from 30 Hz to 16 kHz (or Nyquist). */
export function melConfig(sampleRate: number): MelConfig {
  return {
    sampleRate,
    fftSize: nextPowerOfTwo(Math.round(0.032 * sampleRate)),
    hop: Math.round(0.01 * sampleRate),
    bands: 64,
    fMin: 30,
    fMax: Math.min(16000, sampleRate / 2),
  };
}

const hzToMel = (f: number): number => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number): number => 700 * (Math.pow(10, m / 2595) - 1);

/** Centre frequency (Hz) of each mel band. */
export function melCentres(config: MelConfig): Float64Array {
  const lo = hzToMel(config.fMin);
  const hi = hzToMel(config.fMax);
  const out = new Float64Array(config.bands);
  for (let b = 0; b < config.bands; b++) out[b] = melToHz(lo + ((b + 1) * (hi - lo)) / (config.bands + 1));
  return out;
}

interface Filterbank {
  first: Int32Array;
  weights: Float64Array[];
}
const filterbanks = new Map<string, Filterbank>();

function filterbank(config: MelConfig): Filterbank {
  const key = JSON.stringify(config);
  const cached = filterbanks.get(key);
  if (cached) return cached;
  const lo = hzToMel(config.fMin);
  const hi = hzToMel(config.fMax);
  const edges = Array.from({ length: config.bands + 2 }, (_, i) => melToHz(lo + (i * (hi - lo)) / (config.bands + 1)));
  const binHz = config.sampleRate / config.fftSize;
  const first = new Int32Array(config.bands);
  const weights: Float64Array[] = [];
  for (let b = 0; b < config.bands; b++) {
    const [f0, f1, f2] = [edges[b]!, edges[b + 1]!, edges[b + 2]!];
    const k0 = Math.max(0, Math.floor(f0 / binHz));
    const k2 = Math.min(config.fftSize / 2, Math.ceil(f2 / binHz));
    const w = new Float64Array(k2 - k0 + 1);
    let sum = 0;
    for (let k = k0; k <= k2; k++) {
      const f = k * binHz;
      const v = f <= f1 ? (f - f0) / (f1 - f0) : (f2 - f) / (f2 - f1);
      w[k - k0] = Math.max(0, v);
      sum += w[k - k0]!;
    }
    // Narrow low bands can fall between bins: give them their nearest bin rather than nothing.
    if (sum === 0) w[Math.min(w.length - 1, Math.round(f1 / binHz) - k0)] = 1;
    first[b] = k0;
    weights.push(w);
  }
  const bank = { first, weights };
  filterbanks.set(key, bank);
  return bank;
}

/** Mel power spectrogram of one channel (frames start at sample 0, hop apart; zero-padded at the end). */
export function melSpectrogram(signal: Float32Array, config: MelConfig): MelSpectrogram {
  const { fftSize, hop, bands } = config;
  const frames = Math.max(1, Math.ceil(signal.length / hop));
  const fft = fftFor(fftSize);
  const bank = filterbank(config);
  const window = new Float64Array(fftSize);
  for (let i = 0; i < fftSize; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / fftSize);
  const re = new Float64Array(fftSize);
  const im = new Float64Array(fftSize);
  const spectrum = new Float64Array(fftSize / 2 + 1);
  const power = new Float64Array(frames * bands);
  const offset = fftSize / 2; // frame t is centred on sample t*hop
  for (let t = 0; t < frames; t++) {
    const start = t * hop - offset;
    for (let i = 0; i < fftSize; i++) {
      const s = start + i;
      re[i] = s >= 0 && s < signal.length ? signal[s]! * window[i]! : 0;
      im[i] = 0;
    }
    fft.transform(re, im);
    for (let k = 0; k <= fftSize / 2; k++) spectrum[k] = re[k]! * re[k]! + im[k]! * im[k]!;
    for (let b = 0; b < bands; b++) {
      const w = bank.weights[b]!;
      const k0 = bank.first[b]!;
      let sum = 0;
      for (let j = 0; j < w.length; j++) sum += w[j]! * spectrum[k0 + j]!;
      power[t * bands + b] = sum;
    }
  }
  return { config, frames, power };
}

/** Values below this fraction of the mean band power are clamped: silence must not dominate. */
const FLOOR_RELATIVE = 1e-6;

/** dB of each (frame, band), floored at 60 dB under the mean band power. */
export function toDb(power: Float64Array): Float64Array {
  let mean = 0;
  for (const p of power) mean += p;
  mean = mean / Math.max(1, power.length) || 1e-20;
  const floor = mean * FLOOR_RELATIVE;
  const out = new Float64Array(power.length);
  for (let i = 0; i < power.length; i++) out[i] = 10 * Math.log10(power[i]! + floor);
  return out;
}

/** RMS dB difference after removing the best overall offset, over values `start` to `end`. */
export function dbDistance(a: Float64Array, b: Float64Array, end = Math.min(a.length, b.length), start = 0): number {
  const count = Math.max(1, end - start);
  let mean = 0;
  for (let i = start; i < end; i++) mean += a[i]! - b[i]!;
  mean /= count;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const d = a[i]! - b[i]! - mean;
    sum += d * d;
  }
  return Math.sqrt(sum / count);
}

/** Which quantile of a band's power over time stands for the recording's noise floor in that band. */
const NOISE_QUANTILE = 0.1;

/**
 * A recording as renders are compared with it: its mel power over the compared frames, its noise
 * floor per band (the quiet end of each band over time: hiss, hum, rumble, the ringing of notes the
 * prompt does not hold) and its dB with that floor. What lies under the recording's own noise cannot
 * be heard in it, so a render is not judged there: the same floor is added to the render.
 */
export interface MelReference {
  bands: number;
  first: number; // first compared frame
  frames: number;
  floor: Float64Array;
  db: Float64Array;
  total: number; // power over the compared cells
}

export function melReference(power: Float64Array, frames: number, bands: number, first = 0): MelReference {
  let total = 0;
  for (let i = first * bands; i < frames * bands; i++) total += power[i]!;
  const safety = (total / Math.max(1, (frames - first) * bands)) * FLOOR_RELATIVE + 1e-20;
  const floor = new Float64Array(bands);
  const column = new Float64Array(frames - first);
  for (let b = 0; b < bands; b++) {
    for (let t = first; t < frames; t++) column[t - first] = power[t * bands + b]!;
    column.sort();
    floor[b] = Math.max(safety, column[Math.floor(NOISE_QUANTILE * (column.length - 1))]!);
  }
  const db = new Float64Array(frames * bands);
  for (let i = 0; i < db.length; i++) db[i] = 10 * Math.log10(power[i]! + floor[i % bands]!);
  return { bands, first, frames, floor, db, total };
}

/** dB of a render's mel power brought to the reference's level, with the reference's noise floor. */
export function renderDb(reference: MelReference, power: Float64Array): Float64Array {
  const { bands, first, frames, floor } = reference;
  let total = 0;
  for (let i = first * bands; i < frames * bands; i++) total += power[i]!;
  const gain = total > 0 ? reference.total / total : 1;
  const db = new Float64Array(frames * bands);
  for (let i = 0; i < db.length; i++) db[i] = 10 * Math.log10(gain * power[i]! + floor[i % bands]!);
  return db;
}

/** The log-mel distance of a render's mel power to a reference (dB RMS over the compared cells). */
export function distanceToReference(reference: MelReference, power: Float64Array): number {
  const { bands, first, frames } = reference;
  return dbDistance(reference.db, renderDb(reference, power), frames * bands, first * bands);
}

/**
 * The log-mel distance (dB, RMS over frames and bands, level-invariant) of a render to a recording,
 * both mono, over the frames from `fromSeconds` on, under the recording's noise floor (see MelReference).
 */
export function logMelDistance(
  render: Float32Array,
  recording: Float32Array,
  sampleRate: number,
  fromSeconds = 0,
): number {
  const config = melConfig(sampleRate);
  const frames = Math.min(Math.ceil(render.length / config.hop), Math.ceil(recording.length / config.hop));
  const first = Math.min(frames - 1, Math.max(0, Math.floor((fromSeconds * sampleRate) / config.hop)));
  const reference = melReference(
    melSpectrogram(recording.subarray(0, frames * config.hop), config).power,
    frames,
    config.bands,
    first,
  );
  return distanceToReference(reference, melSpectrogram(render.subarray(0, frames * config.hop), config).power);
}
