// The matched render's filter: the tone curve as a minimum-phase FIR, convolved with the room
// (the direct sound plus a synthetic reverb tail). Both are causal and time-invariant, so filtering
// each segment or stem on its own and summing gives the same audio as filtering the whole mix.
import { interpolateBands, OCTAVE_CENTRES, THIRD_OCTAVE_CENTRES } from './bands';
import { fftFor, nextPowerOfTwo } from '../fft';

export interface ProfileRoom {
  /** Seconds to fall 60 dB, per octave band (OCTAVE_CENTRES). */
  decaySeconds: number[];
  /** Level of the reverb relative to the direct sound (an impulse response of unit energy). */
  wetDb: number;
  preDelayMs: number;
}

/** Deterministic noise (mulberry32): the same room gives the same impulse response on every machine. */
function noise(length: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = (u - 0.5) * Math.sqrt(12); // unit variance
  }
  return out;
}

/** Seconds the room's tail lasts (to −60 dB), pre-delay included. */
export function roomTailSeconds(room: ProfileRoom): number {
  if (room.wetDb <= -60) return 0;
  return room.preDelayMs / 1000 + Math.max(...room.decaySeconds);
}

/**
 * The reverb tail alone: noise split into octave bands (complementary masks, so equal decays give
 * plain noise), each band fading by its own decay time and scaled to unit energy, so the tail's
 * energy spectrum is flat at 1 and the wet level alone sets how loud it is.
 */
export function roomImpulse(room: ProfileRoom, sampleRate: number, seed: number): Float32Array {
  const pre = Math.round((room.preDelayMs / 1000) * sampleRate);
  const tail = Math.max(1, Math.round(Math.max(...room.decaySeconds) * sampleRate));
  const size = nextPowerOfTwo(tail);
  const fft = fftFor(size);
  const re = noise(size, seed);
  const im = new Float64Array(size);
  fft.transform(re, im);
  const out = new Float32Array(pre + tail);
  const bandRe = new Float64Array(size);
  const bandIm = new Float64Array(size);
  // Each bin lies between two octave centres: its weights for them (linear in log-frequency) sum to 1.
  const lowBand = new Int32Array(size);
  const upper = new Float64Array(size);
  const last = OCTAVE_CENTRES.length - 1;
  for (let k = 0; k < size; k++) {
    const f = Math.max(1e-3, (Math.min(k, size - k) * sampleRate) / size);
    const x = Math.log2(f / OCTAVE_CENTRES[0]!);
    const i = Math.floor(x);
    if (i < 0) [lowBand[k], upper[k]] = [0, 0];
    else if (i >= last) [lowBand[k], upper[k]] = [last, 0];
    else [lowBand[k], upper[k]] = [i, x - i];
  }
  for (let b = 0; b <= last; b++) {
    for (let k = 0; k < size; k++) {
      const m = lowBand[k] === b ? 1 - upper[k]! : lowBand[k] === b - 1 ? upper[k]! : 0;
      bandRe[k] = re[k]! * m;
      bandIm[k] = im[k]! * m;
    }
    fft.transform(bandRe, bandIm, true);
    const rate = (3 * Math.LN10) / (room.decaySeconds[b]! * sampleRate); // amplitude −60 dB at the decay time
    let energy = 0;
    for (let t = 0; t < tail; t++) energy += Math.exp(-2 * rate * t);
    const norm = 1 / Math.sqrt(energy);
    for (let t = 0; t < tail; t++) out[pre + t]! += bandRe[t]! * Math.exp(-rate * t) * norm;
  }
  // A short fade at the very end so the truncation at −60 dB cannot click.
  const fade = Math.min(tail, Math.round(0.05 * sampleRate));
  for (let i = 0; i < fade; i++) out[out.length - 1 - i]! *= i / fade;
  return out;
}

/** Minimum-phase FIR whose magnitude follows the tone curve (third-octave dB gains), by the cepstrum method. */
export function toneFilter(gainsDb: readonly number[], sampleRate: number): Float32Array {
  const size = nextPowerOfTwo(Math.round(0.35 * sampleRate));
  const fft = fftFor(size);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const f = (Math.min(k, size - k) * sampleRate) / size;
    re[k] = (interpolateBands(THIRD_OCTAVE_CENTRES, gainsDb, f) * Math.LN10) / 20; // ln |H|
  }
  fft.transform(re, im, true); // real cepstrum
  for (let n = 1; n < size / 2; n++) {
    re[n]! *= 2;
    re[size - n] = 0;
  }
  im.fill(0);
  fft.transform(re, im);
  for (let k = 0; k < size; k++) {
    const mag = Math.exp(re[k]!);
    const phase = im[k]!;
    re[k] = mag * Math.cos(phase);
    im[k] = mag * Math.sin(phase);
  }
  fft.transform(re, im, true);
  const length = size / 2;
  const out = new Float32Array(length);
  const taper = length / 4;
  for (let n = 0; n < length; n++) {
    const w = n < length - taper ? 1 : 0.5 + 0.5 * Math.cos((Math.PI * (n - (length - taper))) / taper);
    out[n] = re[n]! * w;
  }
  return trimTail(out);
}

/** Drops the trailing part that holds less than 1e-9 of the energy (saves convolution time). */
function trimTail(h: Float32Array): Float32Array {
  let total = 0;
  for (const x of h) total += x * x;
  let acc = 0;
  let end = h.length;
  while (end > 1 && acc + h[end - 1]! ** 2 < total * 1e-9) acc += h[--end]! ** 2;
  return h.slice(0, end);
}

/** The whole match filter of one channel: tone ⊛ (direct + wet·room). */
export function matchFilter(tone: Float32Array, room: ProfileRoom, sampleRate: number, channel: number): Float32Array {
  if (room.wetDb <= -60) return tone;
  const ir = roomImpulse(room, sampleRate, 0x9e3779b1 + channel * 0x85ebca6b);
  const wet = 10 ** (room.wetDb / 20);
  const length = ir.length + tone.length - 1;
  const size = nextPowerOfTwo(length);
  const fft = fftFor(size);
  const are = new Float64Array(size);
  const aim = new Float64Array(size);
  const bre = new Float64Array(size);
  const bim = new Float64Array(size);
  are.set(tone);
  bre[0] = 1;
  for (let i = 0; i < ir.length; i++) bre[i]! += wet * ir[i]!;
  fft.transform(are, aim);
  fft.transform(bre, bim);
  for (let k = 0; k < size; k++) {
    const r = are[k]! * bre[k]! - aim[k]! * bim[k]!;
    aim[k] = are[k]! * bim[k]! + aim[k]! * bre[k]!;
    are[k] = r;
  }
  fft.transform(are, aim, true);
  return Float32Array.from(are.subarray(0, length));
}
