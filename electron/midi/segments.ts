// Cutting a performance into the 15–20 s units MIDI-VALLE renders one at a time.
//  official: the boundaries of MIDI-VALLE's data_prepare.py (numpy seed 42, uniform 15–20 s steps, the
//            same for every piece) — useful to compare with the paper's data. Unlike the official
//            script we keep the tail after the last boundary (it drops it) and assign notes by onset.
//  musical:  (default) each boundary is chosen inside its 15–20 s window where the fewest notes sound
//            (rests, pedal-up moments), so a cut rarely falls inside a ringing chord.
// In both modes a note belongs to the segment in which it starts; none is ever dropped.
import { StudioFailure } from '../shared/failure';
import type { Performance, PerformedNote, Segment } from '../shared/performance';
import { MT19937 } from './mt19937';
import { foldSustain, sustainSpans, type PedalMode } from './pedal';

export type SegmenterMode = 'musical' | 'official';
export const SEGMENTER_MODES: readonly SegmenterMode[] = ['musical', 'official'];

export const SEGMENT_MIN_SECONDS = 15;
export const SEGMENT_MAX_SECONDS = 20;
/** A last segment shorter than this is merged into the one before when the two together stay ≤ MERGED_MAX. */
const SHORT_LAST_SECONDS = 4;
const MERGED_MAX_SECONDS = 24;

/** The official boundary sequence: 0, then running sums of numpy uniform(15, 20) draws after seed(42). */
export function* officialBoundaryStream(): Generator<number, never> {
  const rng = new MT19937(42);
  let boundary = 0;
  for (;;) {
    yield boundary;
    boundary += rng.uniform(SEGMENT_MIN_SECONDS, SEGMENT_MAX_SECONDS);
  }
}

/** Boundaries as data_prepare.py computes them for a piece: every value < duration (at least [0]). */
export function officialBoundaries(duration: number): number[] {
  const out: number[] = [];
  for (const b of officialBoundaryStream()) {
    if (out.length > 0 && !(b < duration)) break;
    out.push(b);
  }
  return out;
}

export function segmentPerformance(performance: Performance, mode: SegmenterMode = 'musical'): Segment[] {
  if (performance.notes.length === 0) throw new StudioFailure('bad-input', 'the performance has no notes to segment');
  const starts = mode === 'official' ? officialStarts(performance) : musicalStarts(performance);
  return buildSegments(performance, starts, mode === 'musical');
}

/** Segment start times from the official boundaries; the tail segment is kept only if a note starts in it. */
function officialStarts(performance: Performance): number[] {
  const bounds = officialBoundaries(performance.duration);
  const lastOnset = performance.notes[performance.notes.length - 1]!.onset;
  while (bounds.length > 1 && bounds[bounds.length - 1]! > lastOnset) bounds.pop();
  return bounds;
}

function musicalStarts(performance: Performance): number[] {
  const notes = performance.notes;
  const onsets = Float64Array.from(notes, (n) => n.onset);
  const ends = Float64Array.from(foldSustain(performance), (n) => n.offset).sort();
  const spans = sustainSpans(performance.pedals, performance.duration);
  const downs = Float64Array.from(spans, ([d]) => d);
  const isDown = (t: number) => {
    const i = upperBound(downs, t) - 1;
    return i >= 0 && t < spans[i]![1];
  };
  const lastOnset = onsets[onsets.length - 1]!;
  const starts = [0];
  let b = 0;
  while (performance.duration - b > SEGMENT_MAX_SECONDS && lastOnset >= b + SEGMENT_MIN_SECONDS) {
    const lo = b + SEGMENT_MIN_SECONDS;
    const hi = b + SEGMENT_MAX_SECONDS;
    const target = (lo + hi) / 2;
    let best = hi;
    let bestScore = Infinity;
    // Candidates are note onsets: a segment then begins with an attack and no onset is split from its chord.
    for (let i = lowerBound(onsets, lo); i < onsets.length && onsets[i]! <= hi; i++) {
      const t = onsets[i]!;
      if (i > 0 && onsets[i - 1] === t) continue;
      const sounding = lowerBound(onsets, t) - upperBound(ends, t); // started before t, still sounding at t
      const gap = i > 0 ? Math.min(1, t - onsets[i - 1]!) : 1;
      const score = sounding + (isDown(t) ? 0.5 : 0) - 0.5 * gap + (0.2 * Math.abs(t - target)) / (hi - target);
      if (score < bestScore) {
        bestScore = score;
        best = t;
      }
    }
    if (best <= b) break;
    starts.push(best);
    b = best;
  }
  return starts;
}

function buildSegments(performance: Performance, starts: number[], mergeShortLast: boolean): Segment[] {
  const notes = performance.notes;
  const segments: Segment[] = [];
  let n = 0;
  for (let s = 0; s < starts.length; s++) {
    const start = starts[s]!;
    const end = s + 1 < starts.length ? starts[s + 1]! : Math.max(performance.duration, start);
    const noteIndices: number[] = [];
    while (n < notes.length && (s + 1 === starts.length || notes[n]!.onset < end)) noteIndices.push(n++);
    segments.push({ index: s, start, end, noteIndices });
  }
  // A last segment that is empty, or short and mergeable, joins the one before.
  const last = segments[segments.length - 1]!;
  const previous = segments[segments.length - 2];
  if (
    previous &&
    (last.noteIndices.length === 0 ||
      (mergeShortLast && last.end - last.start < SHORT_LAST_SECONDS && last.end - previous.start <= MERGED_MAX_SECONDS))
  ) {
    previous.end = last.end;
    previous.noteIndices.push(...last.noteIndices);
    segments.pop();
  }
  return segments;
}

export interface SegmentNotesOptions {
  pedal?: PedalMode;
  /** Notes with pedal folded, when the caller already computed them for the whole performance. */
  folded?: PerformedNote[];
}

/** A segment's notes re-timed so that the segment starts at 0, ready for tokenizeNotes/buildModelTokens. */
export function segmentNotes(
  performance: Performance,
  segment: Segment,
  options: SegmentNotesOptions = {},
): PerformedNote[] {
  const source = options.pedal === 'fold' ? (options.folded ?? foldSustain(performance)) : performance.notes;
  return segment.noteIndices.map((i) => {
    const n = source[i]!;
    return { ...n, onset: n.onset - segment.start, offset: n.offset - segment.start };
  });
}

/** Pedal folding applied to the whole performance (folding per segment would miss pedals before its start). */
export function withPedal(performance: Performance, pedal: PedalMode): PerformedNote[] {
  return pedal === 'fold' ? foldSustain(performance) : performance.notes;
}

function lowerBound(values: Float64Array, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(values: Float64Array, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
