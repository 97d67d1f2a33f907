// Notes arrive from the contract as parallel arrays; the roll wants them sorted by onset in typed
// arrays so that culling a time range is a binary search and drawing is one tight loop.
import type { NoteColumns } from '../../../../electron/contract/methods/pieces';
import { VELOCITY_BANDS, velocityBand } from './colour';

export interface RollNotes {
  count: number;
  pitch: Uint8Array;
  velocity: Uint8Array;
  onset: Float64Array;
  offset: Float64Array;
  /** 0 = left hand, 1 = right hand. */
  hand: Uint8Array;
  track: Uint16Array;
  /** hand × VELOCITY_BANDS + velocity band: the note's colour index, so drawing looks up one byte. */
  shade: Uint8Array;
  /** The longest note: how far before a view's start a visible note can begin. */
  maxDuration: number;
  /** End of the last note. */
  end: number;
  pitchMin: number;
  pitchMax: number;
}

export interface PedalPoint {
  kind: 'sustain' | 'sostenuto' | 'soft';
  time: number;
  value: number;
}

export function prepareNotes(columns: NoteColumns): RollNotes {
  const count = columns.onset.length;
  const order = Array.from({ length: count }, (_, i) => i).sort(
    (a, b) => columns.onset[a]! - columns.onset[b]! || columns.pitch[a]! - columns.pitch[b]!,
  );
  const notes: RollNotes = {
    count,
    pitch: new Uint8Array(count),
    velocity: new Uint8Array(count),
    onset: new Float64Array(count),
    offset: new Float64Array(count),
    hand: new Uint8Array(count),
    track: new Uint16Array(count),
    shade: new Uint8Array(count),
    maxDuration: 0,
    end: 0,
    pitchMin: 127,
    pitchMax: 0,
  };
  order.forEach((source, i) => {
    const pitch = columns.pitch[source]!;
    notes.pitch[i] = pitch;
    notes.velocity[i] = columns.velocity[source]!;
    notes.onset[i] = columns.onset[source]!;
    notes.offset[i] = columns.offset[source]!;
    notes.hand[i] = columns.hand[source] === 'left' ? 0 : 1;
    notes.track[i] = columns.track[source] ?? 0;
    notes.shade[i] = notes.hand[i]! * VELOCITY_BANDS + velocityBand(notes.velocity[i]!);
    notes.maxDuration = Math.max(notes.maxDuration, notes.offset[i]! - notes.onset[i]!);
    notes.end = Math.max(notes.end, notes.offset[i]!);
    notes.pitchMin = Math.min(notes.pitchMin, pitch);
    notes.pitchMax = Math.max(notes.pitchMax, pitch);
  });
  if (count === 0) {
    notes.pitchMin = 48;
    notes.pitchMax = 84;
  }
  return notes;
}

/** Index of the first note with onset >= time (notes sorted by onset). */
export function lowerBound(onsets: Float64Array, time: number, count = onsets.length): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (onsets[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index range of notes that may overlap [from, to]: cull before drawing. */
export function visibleNotes(notes: RollNotes, from: number, to: number): { first: number; last: number } {
  return {
    first: lowerBound(notes.onset, from - notes.maxDuration, notes.count),
    last: lowerBound(notes.onset, to, notes.count),
  };
}

/** Average velocity in windows of `window` seconds: the comparison view's dynamics curve. */
export function velocityCurve(notes: RollNotes, window: number): number[] {
  const bins = Math.max(1, Math.ceil(notes.end / window));
  const sums = new Float64Array(bins);
  const counts = new Uint32Array(bins);
  for (let i = 0; i < notes.count; i++) {
    const bin = Math.min(bins - 1, Math.floor(notes.onset[i]! / window));
    sums[bin]! += notes.velocity[i]!;
    counts[bin]!++;
  }
  return Array.from(sums, (sum, i) => (counts[i] ? sum / counts[i]! : 0));
}
