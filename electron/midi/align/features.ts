// Onset features on a time grid: what the DTW compares. Each note adds to its key (88 piano keys) at
// the frame of its onset and, decaying, to the next frames (the decaying onset features of Ewert,
// Müller & Grosche 2009, but per key rather than per pitch class: symbolic data has exact pitches,
// and chroma confuses a passage with its octave-transposed sequence, which cost seconds of error on
// the Chopin étude). Velocity is ignored on purpose: a score has none and two pianists differ in it
// most. Frames are sparse (a few keys each), so they are stored as compressed rows.
import type { AlignNote } from './types';

export const KEYS = 88;
/** Dimension of a frame: 88 keys and one small constant, so silent frames match each other. */
export const DIMS = KEYS + 1;
const DECAY = [1, 0.6, 0.36, 0.2, 0.1]; // per 50 ms after the onset
const SILENCE = 0.05;

export interface FeatureGrid {
  /** Seconds of frame 0's start. */
  origin: number;
  step: number;
  frames: number;
  /** Frame f's entries are rowStart[f] .. rowStart[f+1]-1 of dim/value; each frame has L2 norm 1. */
  rowStart: Int32Array;
  dim: Uint8Array;
  value: Float32Array;
}

/** Onset features of notes from `origin` to `end` at `step` seconds. */
export function onsetGrid(notes: readonly AlignNote[], origin: number, end: number, step: number): FeatureGrid {
  const frames = Math.max(1, Math.floor((end - origin) / step) + 1);
  // the decay is given for 50 ms frames; coarser frames reach fewer of them
  const reach = Math.max(1, Math.round((DECAY.length * 0.05) / step));
  const perFrame: Array<Map<number, number>> = Array.from({ length: frames }, () => new Map());
  for (const n of notes) {
    const f = Math.floor((n.onset - origin) / step);
    if (f < 0 || f >= frames) continue;
    const key = Math.min(KEYS - 1, Math.max(0, n.pitch - 21));
    for (let k = 0; k < reach && f + k < frames; k++) {
      const w = DECAY[Math.min(DECAY.length - 1, Math.floor((k * DECAY.length) / reach))]!;
      const m = perFrame[f + k]!;
      m.set(key, (m.get(key) ?? 0) + w);
    }
  }
  let total = 0;
  for (const m of perFrame) total += m.size + 1;
  const rowStart = new Int32Array(frames + 1);
  const dim = new Uint8Array(total);
  const value = new Float32Array(total);
  let w = 0;
  perFrame.forEach((m, f) => {
    rowStart[f] = w;
    let sum = SILENCE * SILENCE;
    for (const v of m.values()) sum += v * v;
    const scale = 1 / Math.sqrt(sum);
    for (const [d, v] of m) {
      dim[w] = d;
      value[w++] = v * scale;
    }
    dim[w] = KEYS;
    value[w++] = SILENCE * scale;
  });
  rowStart[frames] = w;
  return { origin, step, frames, rowStart, dim, value };
}
