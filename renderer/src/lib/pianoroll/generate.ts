// Generated performances for the dev harness and the UI bench: plausible two-hand piano texture
// with a seeded generator, so a frame-time measurement sees the same notes every run.
import type { NoteColumns } from '../../../../electron/contract/methods/pieces';
import type { PedalPoint } from './notes';
import { mulberry32 } from '../../../../electron/shared/mulberry32';

/** Seeded uniform stream: the same notes every run. */
export const seededRandom = (seed: number): (() => number) => mulberry32(seed).uniform;

export function generateNotes(count: number, seed = 1, notesPerSecond = 12): NoteColumns {
  const random = seededRandom(seed);
  const columns: NoteColumns = { pitch: [], velocity: [], onset: [], offset: [], hand: [], track: [] };
  let time = 0;
  let melody = 72;
  let bass = 48;
  for (let i = 0; i < count; i++) {
    const right = random() < 0.55;
    if (right) melody = Math.min(100, Math.max(60, melody + Math.round((random() - 0.5) * 7)));
    else bass = Math.min(59, Math.max(24, bass + Math.round((random() - 0.5) * 9)));
    const onset = time;
    const duration = 0.08 + random() * (right ? 0.6 : 1.4);
    const phrase = Math.sin(onset / 7) * 25;
    columns.pitch.push(right ? melody : bass);
    columns.velocity.push(Math.round(Math.min(127, Math.max(12, 70 + phrase + (random() - 0.5) * 30))));
    columns.onset.push(onset);
    columns.offset.push(onset + duration);
    columns.hand.push(right ? 'right' : 'left');
    columns.track.push(right ? 0 : 1);
    time += (random() * 2) / notesPerSecond;
  }
  return columns;
}

/** Sustain pedal down/up every few seconds. */
export function generatePedals(duration: number, seed = 2): PedalPoint[] {
  const random = seededRandom(seed);
  const pedals: PedalPoint[] = [];
  for (let t = 0.5; t < duration; t += 1.5 + random() * 3) {
    pedals.push({ kind: 'sustain', time: t, value: 127 });
    pedals.push({ kind: 'sustain', time: t + 0.8 + random() * 1.5, value: 0 });
  }
  return pedals;
}

/** Segments of ~15 s, as the musical segmenter would cut them. */
export function generateSegments(
  duration: number,
): Array<{ index: number; start: number; end: number; noteCount: number }> {
  const segments = [];
  for (let start = 0, index = 0; start < duration; start += 15, index++)
    segments.push({ index, start, end: Math.min(duration, start + 15), noteCount: 0 });
  return segments;
}
