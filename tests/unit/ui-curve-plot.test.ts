// The Work view's plot geometry: musical x axis, robust ranges, gaps, bar ruler, bar starts, CSV.
import { describe, expect, it } from 'vitest';
import type { WorkCurves } from '../../electron/contract/methods/works';
import {
  barStarts,
  barTicks,
  beatsPerBar,
  beatX,
  curvePath,
  smooth,
  valueRange,
  workCurvesCsv,
  xToBeat,
} from '../../renderer/src/lib/works/curve-plot';

describe('work curve plots', () => {
  it('puts beats on a shared axis and back', () => {
    expect(beatX(0, 5, 400)).toBe(0);
    expect(beatX(4, 5, 400)).toBe(400);
    expect(xToBeat(200, 5, 400)).toBe(2);
    expect(xToBeat(-10, 5, 400)).toBe(0);
  });

  it('shows the 2nd–98th percentile range, so one wild beat does not flatten the rest', () => {
    const values = [...Array.from({ length: 98 }, (_, i) => 100 + (i % 10)), 2000, null];
    const [lo, hi] = valueRange([values]);
    expect(lo).toBeLessThan(100);
    expect(hi).toBeLessThan(120);
    expect(valueRange([[null]])).toEqual([0, 1]);
  });

  it('breaks the line where a value is missing and clamps values outside the range', () => {
    expect(curvePath([1, 2, null, 3], [0, 4], 300, 100)).toBe('M0.0,75.0L100.0,50.0M300.0,25.0');
    expect(curvePath([10], [0, 4], 300, 100)).toBe('M0.0,0.0');
  });

  it('averages over a bar, skipping missing values', () => {
    expect(smooth([1, null, 3, 5], 3)).toEqual([1, 2, 4, 4]);
    expect(smooth([null, null], 3)).toEqual([null, null]);
    expect(beatsPerBar([1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4])).toBe(4);
  });

  it('labels downbeats on the ruler without crowding', () => {
    const bars = [1, 1, 2, 2, 3, 3, 4, 4];
    const beatInBar = [1, 2, 1, 2, 1, 2, 1, 2];
    const ticks = barTicks(bars, beatInBar, 700, 28);
    expect(ticks.map((t) => t.bar)).toEqual([1, 2, 3, 4]);
    expect(ticks.every((t, k) => k === 0 || t.x > ticks[k - 1]!.x)).toBe(true);
    expect(barTicks(bars, beatInBar, 70, 28).filter((t) => t.label).length).toBeLessThan(4);
  });

  const curves: WorkCurves = {
    referencePieceId: 'score',
    referenceKind: 'score',
    beats: { times: [0, 1, 2], bars: [1, 2, 2], beatInBar: [1, 1, 2] },
    performances: [
      {
        pieceId: 'a',
        title: 'Pianist, "A"',
        stats: {
          refNotes: 3,
          perfNotes: 3,
          matchedNotes: 3,
          refMatchedRatio: 1,
          perfMatchedRatio: 1,
          pathCost: 0,
          longestRefGap: 0,
          longestPerfGap: 0,
          anchors: 3,
          samePiece: true,
        },
        map: [],
        curves: [0, 1, 2].map((k) => ({
          beat: k + 1,
          bar: [1, 2, 2][k]!,
          beatInBar: [1, 1, 2][k]!,
          refTime: k,
          perfTime: 0.5 + k * 1.1,
          bpm: k < 2 ? 54.55 : null,
          refBpm: k < 2 ? 60 : null,
          velocity: 60 + k,
          notes: 2,
          asynchronyMs: null,
        })),
      },
    ],
  };

  it('says when each performance reaches a bar', () => {
    expect(barStarts(curves, 2)).toEqual([{ pieceId: 'a', title: 'Pianist, "A"', time: 1.6 }]);
    expect(barStarts(curves, 9)).toEqual([]);
  });

  it('writes the same CSV as the CLI, quoting titles', () => {
    const lines = workCurvesCsv(curves).trimEnd().split('\n');
    expect(lines[0]).toBe('pieceId,title,beat,bar,beatInBar,refTime,perfTime,bpm,refBpm,velocity,notes,asynchronyMs');
    expect(lines[1]).toBe('a,"Pianist, ""A""",1,1,1,0,0.5,54.55,60,60,2,');
    expect(lines).toHaveLength(4);
  });
});
