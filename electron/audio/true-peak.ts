// True peak per ITU-R BS.1770-4 Annex 2: oversample (4× below 96 kHz, 2× up to 192 kHz) with a
// band-limited interpolator and take the largest absolute value. Our interpolator is a Kaiser-windowed
// sinc (16 taps per phase, β = 7) cut at the original Nyquist, so phase 0 is the input itself and only
// the in-between phases are computed. Returned in dBTP (dB relative to full scale).
import type { AudioData } from './audio-data';
import { assertAudioData, gainToDb } from './audio-data';

const TAPS_PER_PHASE = 16;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 40; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

const phaseCache = new Map<number, Float64Array[]>();

/** Polyphase taps for `factor`× interpolation; phase p holds the taps for the point p/factor past a sample. */
function interpolationPhases(factor: number): Float64Array[] {
  const cached = phaseCache.get(factor);
  if (cached) return cached;
  const beta = 7;
  const half = TAPS_PER_PHASE / 2;
  const phases: Float64Array[] = [];
  for (let p = 1; p < factor; p++) {
    const taps = new Float64Array(TAPS_PER_PHASE);
    let sum = 0;
    for (let j = 0; j < TAPS_PER_PHASE; j++) {
      // Tap j multiplies x[n - half + 1 + j]; its distance from the output point n + p/factor:
      const t = j - half + 1 - p / factor;
      const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
      const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - (t / half) ** 2))) / besselI0(beta);
      taps[j] = sinc * w;
      sum += taps[j]!;
    }
    for (let j = 0; j < TAPS_PER_PHASE; j++) taps[j]! /= sum; // unity gain at DC
    phases.push(taps);
  }
  phaseCache.set(factor, phases);
  return phases;
}

export function oversamplingFactor(sampleRate: number): number {
  return sampleRate < 96000 ? 4 : sampleRate < 192000 ? 2 : 1;
}

/**
 * Largest absolute value of one channel after band-limited oversampling (linear, not dB).
 * An interpolated point can exceed the largest nearby sample by at most the taps' absolute sum, so
 * blocks whose neighbourhood is too quiet to beat the peak found so far are skipped: on music this
 * evaluates the filter only around the loudest moments.
 */
export function channelTruePeak(x: Float32Array, sampleRate: number): number {
  const factor = oversamplingFactor(sampleRate);
  const phases = interpolationPhases(factor);
  const half = TAPS_PER_PHASE / 2;
  const n = x.length;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(x[i]!);
    if (v > peak) peak = v;
  }
  let bound = 0;
  for (const taps of phases)
    bound = Math.max(
      bound,
      taps.reduce((s, t) => s + Math.abs(t), 0),
    );
  const BLOCK = 64;
  for (let from = 0; from < n; from += BLOCK) {
    const to = Math.min(n, from + BLOCK);
    let local = 0;
    for (let k = Math.max(0, from - half); k < Math.min(n, to + half); k++) {
      const v = Math.abs(x[k]!);
      if (v > local) local = v;
    }
    if (local * bound <= peak) continue;
    for (const taps of phases) {
      for (let i = from; i < to; i++) {
        let acc = 0;
        const base = i - half + 1;
        if (base >= 0 && base + TAPS_PER_PHASE <= n) {
          for (let j = 0; j < TAPS_PER_PHASE; j++) acc += taps[j]! * x[base + j]!;
        } else {
          for (let j = 0; j < TAPS_PER_PHASE; j++) {
            const k = base + j;
            if (k >= 0 && k < n) acc += taps[j]! * x[k]!;
          }
        }
        const v = Math.abs(acc);
        if (v > peak) peak = v;
      }
    }
  }
  return peak;
}

/** True peak of all channels in dBTP. */
export function truePeakDb(audio: AudioData): number {
  assertAudioData(audio);
  let peak = 0;
  for (const channel of audio.channels) peak = Math.max(peak, channelTruePeak(channel, audio.sampleRate));
  return gainToDb(peak);
}
