// The piano roll's time-axis math and note culling, on generated notes.
import { describe, expect, it } from 'vitest';
import { generateNotes } from '../../renderer/src/lib/pianoroll/generate';
import { VELOCITY_BANDS, velocityBand } from '../../renderer/src/lib/pianoroll/colour';
import { prepareNotes, visibleNotes } from '../../renderer/src/lib/pianoroll/notes';
import {
  applyWheel,
  clampView,
  fitZoom,
  follow,
  MAX_PX_PER_SEC,
  panBy,
  xToTime,
  zoomAt,
} from '../../renderer/src/lib/pianoroll/viewport';

const wheel = { deltaX: 0, deltaY: 0, deltaMode: 0, ctrlKey: false, metaKey: false, shiftKey: false };

describe('viewport', () => {
  it('never zooms out past the whole piece nor in past the limit, and stays inside the piece', () => {
    expect(clampView({ start: -5, pxPerSec: 1 }, 100, 1000)).toEqual({ start: 0, pxPerSec: 10 });
    expect(clampView({ start: 0, pxPerSec: 1e6 }, 100, 1000).pxPerSec).toBe(MAX_PX_PER_SEC);
    expect(clampView({ start: 95, pxPerSec: 100 }, 100, 1000).start).toBe(90);
  });

  it('keeps the time under the pointer fixed while zooming', () => {
    const view = { start: 10, pxPerSec: 50 };
    const anchor = 300;
    const zoomed = zoomAt(view, 2, anchor, 120, 1000);
    expect(zoomed.pxPerSec).toBe(100);
    expect(xToTime(zoomed, anchor)).toBeCloseTo(xToTime(view, anchor), 9);
  });

  it('zooms with ctrl+wheel (pinch) and pans with the wheel, shift+wheel or a horizontal swipe', () => {
    const view = { start: 10, pxPerSec: 50 };
    expect(applyWheel(view, { ...wheel, deltaY: -100, ctrlKey: true }, 0, 120, 1000).pxPerSec).toBeGreaterThan(50);
    expect(applyWheel(view, { ...wheel, deltaY: 100 }, 0, 120, 1000).start).toBeCloseTo(12);
    expect(applyWheel(view, { ...wheel, deltaY: 100, shiftKey: true }, 0, 120, 1000).start).toBeCloseTo(12);
    expect(applyWheel(view, { ...wheel, deltaX: -50 }, 0, 120, 1000).start).toBeCloseTo(9);
    expect(applyWheel(view, { ...wheel, deltaY: 3, deltaMode: 1 }, 0, 120, 1000).start).toBeCloseTo(10 + 48 / 50);
  });

  it('pages with the playhead when it leaves the view', () => {
    const view = { start: 0, pxPerSec: 100 };
    expect(follow(view, 5, 60, 1000)).toBe(view);
    expect(follow(view, 25, 60, 1000).start).toBeCloseTo(24.5);
    expect(panBy(view, 500, 60, 1000).start).toBe(5);
    expect(fitZoom(60, 1200)).toBe(20);
  });
});

describe('note culling', () => {
  const notes = prepareNotes(generateNotes(20_000, 3));

  it('sorts by onset and finds exactly the notes that overlap a time range', () => {
    for (let i = 1; i < notes.count; i++) expect(notes.onset[i]!).toBeGreaterThanOrEqual(notes.onset[i - 1]!);
    for (const [from, to] of [
      [0, 5],
      [100, 130.5],
      [notes.end - 10, notes.end + 1],
    ] as const) {
      const { first, last } = visibleNotes(notes, from, to);
      const inRange = (i: number): boolean => notes.offset[i]! >= from && notes.onset[i]! < to;
      let expected = 0;
      for (let i = 0; i < notes.count; i++) if (inRange(i)) expected++;
      let found = 0;
      for (let i = first; i < last; i++) if (inRange(i)) found++;
      expect(found).toBe(expected);
      expect(expected).toBeGreaterThan(0);
    }
  });

  it('gives each note its colour index: left-hand bands first, then right-hand, soft to loud', () => {
    const seen = new Set<number>();
    for (let i = 0; i < notes.count; i++) {
      const shade = notes.shade[i]!;
      expect(shade).toBe(notes.hand[i]! * VELOCITY_BANDS + velocityBand(notes.velocity[i]!));
      expect(shade < VELOCITY_BANDS).toBe(notes.hand[i] === 0);
      seen.add(shade);
    }
    expect(Math.max(...seen)).toBeLessThan(2 * VELOCITY_BANDS);
    // The generated piece uses both hands and several bands of each.
    expect([...seen].filter((s) => s < VELOCITY_BANDS).length).toBeGreaterThan(2);
    expect([...seen].filter((s) => s >= VELOCITY_BANDS).length).toBeGreaterThan(2);
  });
});
