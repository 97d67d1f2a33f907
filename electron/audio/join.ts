// Joins per-segment renders into one mix.
//
// Our modes keep every piece at its own start time, so the mix stays in sync with the MIDI:
// * 'crossfade' (default, for neural segments): where piece k+1 begins, it is aligned to the running
//   mix by the lag (within ±searchSeconds) of maximum normalised cross-correlation, then the two are
//   cross-faded over fadeSeconds with equal-power (sin/cos) curves, renormalised by the measured
//   correlation so that near-identical material does not swell by 3 dB; the earlier piece's audio
//   after the fade is dropped. Pieces should overlap by at least fade + search window; with no overlap the
//   next piece simply starts at its time (there is nothing to fade from).
// * 'sum': plain overlap-add at the start times. Exact for the sampled grand, whose segment renders
//   carry their own tails and add up to the whole-piece render.
// The official MIDI-VALLE modes (concat_wavform.py, reference §3.4) are offered for comparison; they
// ignore start times and shorten the mix at every join, as the original does:
// 'mv-naive' (concatenate), 'mv-crossfade' (20 ms linear), 'mv-fade' (50 ms linear),
// 'mv-concat' (correlation-aligned Hann overlap-add, 2560-sample overlap at 32 kHz).
import { StudioFailure } from '../shared/failure';

export type JoinMode = 'crossfade' | 'sum' | 'mv-naive' | 'mv-crossfade' | 'mv-fade' | 'mv-concat';
export const JOIN_MODES: readonly JoinMode[] = ['crossfade', 'sum', 'mv-naive', 'mv-crossfade', 'mv-fade', 'mv-concat'];

export interface SegmentPiece {
  /** Seconds from the start of the piece where this audio begins. */
  start: number;
  audio: Float32Array;
}

export interface JoinOptions {
  /** Exact output length in seconds (e.g. performance duration + release tail): pads with silence or trims with a 10 ms fade. */
  totalSeconds?: number;
  /** Cross-fade length for 'crossfade', default 0.03 s. */
  fadeSeconds?: number;
  /** Alignment search half-window for 'crossfade', default 0.005 s. */
  searchSeconds?: number;
}

/**
 * Lag (in samples, next piece delayed by it) that best aligns `next` with `mix` around `at`, and the
 * normalised correlation there (0 when nothing correlates).
 */
function bestLag(
  mix: Float32Array,
  at: number,
  next: Float32Array,
  window: number,
  search: number,
): { lag: number; correlation: number } {
  let best = 0;
  let bestScore = 0.3; // below this the material is unrelated: keep the nominal timing
  let found = false;
  for (let lag = -search; lag <= search; lag++) {
    let dot = 0;
    let e1 = 0;
    let e2 = 0;
    for (let i = search; i < search + window; i++) {
      const a = mix[at + i] ?? 0;
      const b = next[i - lag] ?? 0;
      dot += a * b;
      e1 += a * a;
      e2 += b * b;
    }
    const score = e1 > 0 && e2 > 0 ? dot / Math.sqrt(e1 * e2) : 0;
    if (score > bestScore) {
      bestScore = score;
      best = lag;
      found = true;
    }
  }
  return { lag: best, correlation: found ? bestScore : 0 };
}

/**
 * Fade gains at position t ∈ [0, 1] that keep the power constant for signals of correlation ρ:
 * sin/cos (equal power) for unrelated material, tending to equal gain (no +3 dB bump) as ρ → 1.
 */
function fadeGains(t: number, correlation: number): [number, number] {
  const theta = (t * Math.PI) / 2;
  const k = 1 / Math.sqrt(1 + correlation * Math.sin(2 * theta));
  return [Math.cos(theta) * k, Math.sin(theta) * k];
}

function joinAligned(pieces: SegmentPiece[], sampleRate: number, options: JoinOptions): Float32Array {
  const fade = Math.max(1, Math.round((options.fadeSeconds ?? 0.03) * sampleRate));
  const search = Math.round((options.searchSeconds ?? 0.005) * sampleRate);
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  const end = Math.max(...sorted.map((p) => Math.round(p.start * sampleRate) + p.audio.length));
  const mix = new Float32Array(Math.max(0, end + search));
  let mixEnd = 0; // one past the last sample the mix holds so far
  for (const piece of sorted) {
    const nominal = Math.round(piece.start * sampleRate);
    const overlap = mixEnd - nominal;
    const { lag, correlation } =
      overlap >= fade + 2 * search ? bestLag(mix, nominal, piece.audio, fade, search) : { lag: 0, correlation: 0 };
    const at = nominal + lag;
    const fadeFrom = Math.max(at, nominal);
    const fadeLength = Math.max(0, Math.min(fade, mixEnd - fadeFrom));
    for (let i = Math.max(0, at); i < at + piece.audio.length && i < mix.length; i++) {
      const x = piece.audio[i - at]!;
      if (i < fadeFrom) {
        continue; // before the hand-over the earlier piece still plays
      } else if (i < fadeFrom + fadeLength) {
        const [out, into] = fadeGains((i - fadeFrom + 0.5) / fadeLength, correlation);
        mix[i] = mix[i]! * out + x * into;
      } else {
        mix[i] = x;
      }
    }
    // Samples of the earlier piece past the new piece's end would be stale: the new piece owns the rest.
    const pieceEnd = at + piece.audio.length;
    if (pieceEnd < mixEnd) mix.fill(0, Math.max(0, pieceEnd), mixEnd);
    mixEnd = Math.max(0, pieceEnd);
  }
  return mix.slice(0, mixEnd);
}

function joinSum(pieces: SegmentPiece[], sampleRate: number): Float32Array {
  const end = Math.max(0, ...pieces.map((p) => Math.round(p.start * sampleRate) + p.audio.length));
  const mix = new Float32Array(end);
  for (const piece of pieces) {
    const at = Math.round(piece.start * sampleRate);
    for (let i = Math.max(0, -at); i < piece.audio.length; i++) mix[at + i]! += piece.audio[i]!;
  }
  return mix;
}

function concatAll(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** MIDI-VALLE 'crossfade'/'fade': linear cross-fade of `length` samples, the result shortened by it. */
function linearCrossfade(a: Float32Array, b: Float32Array, length: number): Float32Array {
  const l = Math.min(length, a.length, b.length);
  const out = new Float32Array(a.length + b.length - l);
  out.set(a.subarray(0, a.length - l));
  for (let i = 0; i < l; i++) {
    const t = i / l;
    out[a.length - l + i] = a[a.length - l + i]! * (1 - t) + b[i]! * t;
  }
  out.set(b.subarray(l), a.length);
  return out;
}

/** MIDI-VALLE 'concat': correlation-calibrated Hann overlap-add (constants at 32 kHz, scaled to the rate). */
function mvConcat(a: Float32Array, b: Float32Array, scale: number): Float32Array {
  const buffer = Math.round(4096 * scale);
  const overlap = Math.round(2560 * scale);
  if (b.length < buffer) return a; // the original skips such segments entirely
  if (a.length < buffer) return concatAll([a, b]);
  const tailA = a.subarray(a.length - overlap);
  const headB = b.subarray(0, overlap);
  const half = Math.floor(overlap / 2);
  let bestLagValue = -half;
  let best = -Infinity;
  for (let lag = -half; lag < overlap - half; lag++) {
    let sum = 0;
    for (let n = 0; n < overlap; n++) {
      const k = n + lag;
      if (k >= 0 && k < overlap) sum += tailA[k]! * headB[n]!;
    }
    if (sum > best) {
      best = sum;
      bestLagValue = lag;
    }
  }
  const l = Math.max(1, Math.min(buffer, overlap - bestLagValue));
  const hann = (n: number): number => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (2 * l - 1));
  const prev = a.slice(a.length - buffer);
  const next = b.slice(0, buffer);
  for (let i = 0; i < l; i++) {
    prev[buffer - l + i]! *= hann(l + i);
    next[i]! *= hann(i);
  }
  const middle = new Float32Array(2 * buffer - l);
  middle.set(prev);
  for (let i = 0; i < buffer; i++) middle[buffer - l + i]! += next[i]!;
  return concatAll([a.subarray(0, a.length - buffer), middle, b.subarray(buffer)]);
}

function fitLength(mix: Float32Array, frames: number, sampleRate: number): Float32Array {
  if (mix.length === frames) return mix;
  const out = new Float32Array(frames);
  out.set(mix.subarray(0, frames));
  if (mix.length > frames) {
    const fade = Math.min(frames, Math.round(0.01 * sampleRate));
    for (let i = 0; i < fade; i++) out[frames - fade + i]! *= 1 - (i + 1) / fade;
  }
  return out;
}

/** Assembles segment renders into one mono/one-channel track (call once per channel for stereo). */
export function assembleSegments(
  pieces: SegmentPiece[],
  sampleRate: number,
  mode: JoinMode = 'crossfade',
  options: JoinOptions = {},
): Float32Array {
  if (!JOIN_MODES.includes(mode))
    throw new StudioFailure('invalid-argument', `unknown join mode ${mode}; use one of ${JOIN_MODES.join(', ')}`);
  let mix: Float32Array;
  if (pieces.length === 0) {
    mix = new Float32Array(0);
  } else if (mode === 'crossfade') {
    mix = joinAligned(pieces, sampleRate, options);
  } else if (mode === 'sum') {
    mix = joinSum(pieces, sampleRate);
  } else {
    const ordered = [...pieces].sort((a, b) => a.start - b.start).map((p) => p.audio);
    const scale = sampleRate / 32000;
    mix = ordered[0]!;
    for (const next of ordered.slice(1)) {
      if (mode === 'mv-naive') mix = concatAll([mix, next]);
      else if (mode === 'mv-crossfade') mix = linearCrossfade(mix, next, Math.round(640 * scale));
      else if (mode === 'mv-fade') mix = linearCrossfade(mix, next, Math.round(1600 * scale));
      else mix = mvConcat(mix, next, scale);
    }
    mix = mix.slice();
  }
  if (options.totalSeconds !== undefined)
    return fitLength(mix, Math.round(options.totalSeconds * sampleRate), sampleRate);
  return mix;
}
