// Sustain pedal. The official tokens carry no pedal at all (`--pedal ignore`, the default); `fold`
// writes the pedal into the notes instead: a key released while the pedal is down keeps sounding until
// the pedal comes up, or until the same key is struck again (the damper cannot ring two strikes).
import type { PedalEvent, Performance, PerformedNote } from '../shared/performance';

export type PedalMode = 'ignore' | 'fold';
export const PEDAL_MODES: readonly PedalMode[] = ['ignore', 'fold'];

/** Sustain-down spans [down, up) from CC64 events; a pedal still down at the end lasts until `end`. */
export function sustainSpans(pedals: readonly PedalEvent[], end: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let downAt = -1;
  for (const p of pedals) {
    if (p.kind !== 'sustain') continue;
    if (p.value >= 64) {
      if (downAt < 0) downAt = p.time;
    } else if (downAt >= 0) {
      if (p.time > downAt) spans.push([downAt, p.time]);
      downAt = -1;
    }
  }
  if (downAt >= 0 && end > downAt) spans.push([downAt, end]);
  return spans;
}

/** The notes with their offsets extended through the sustain pedal (a new array; input untouched). */
export function foldSustain(performance: Pick<Performance, 'notes' | 'pedals' | 'duration'>): PerformedNote[] {
  const { notes } = performance;
  const spans = sustainSpans(performance.pedals, performance.duration);
  const out = notes.map((n) => ({ ...n }));
  if (spans.length === 0) return out;
  const downs = spans.map(([d]) => d);
  // where the same key is struck next (notes are sorted by onset)
  const nextOnset = new Float64Array(notes.length).fill(Infinity);
  const lastIndexOfPitch = new Int32Array(128).fill(-1);
  for (let i = notes.length - 1; i >= 0; i--) {
    const pitch = notes[i]!.pitch;
    const later = lastIndexOfPitch[pitch]!;
    if (later >= 0) nextOnset[i] = notes[later]!.onset;
    lastIndexOfPitch[pitch] = i;
  }
  for (let i = 0; i < out.length; i++) {
    const note = out[i]!;
    const span = spanAt(downs, note.offset);
    if (span < 0) continue;
    const up = spans[span]![1];
    if (note.offset >= up) continue;
    const cut = Math.min(up, nextOnset[i]!);
    if (cut > note.offset) note.offset = cut;
  }
  return out;
}

/** Index of the last span starting at or before t, or −1. */
function spanAt(downs: number[], t: number): number {
  let lo = 0;
  let hi = downs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (downs[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
