// Geometry of the Work view's curves: every performance on one musical x axis (the reference's
// beats), so bar N is at the same place in every plot whatever tempo each pianist took.
import type { WorkCurves } from '../../../../electron/contract/methods/works';
import { performancesCurvesCsv } from '../../../../electron/shared/curves-csv';

export type CurveKey = 'bpm' | 'velocity' | 'asynchronyMs';

/** x of beat index `i` (0-based) when `beats` beats span `width` px. */
export const beatX = (i: number, beats: number, width: number): number => (beats <= 1 ? 0 : (i / (beats - 1)) * width);

/** Beat index (0-based, fractional) under x px. */
export const xToBeat = (x: number, beats: number, width: number): number =>
  beats <= 1 || width <= 0 ? 0 : Math.min(beats - 1, Math.max(0, (x / width) * (beats - 1)));

/**
 * The value range to show: the 2nd to 98th percentile of all values, padded by 10 %, so one wild
 * beat (a fermata's tempo) does not flatten every other curve; values outside are drawn at the edge.
 */
export function valueRange(series: ReadonlyArray<ReadonlyArray<number | null>>): [number, number] {
  const all = series.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  if (!all.length) return [0, 1];
  all.sort((a, b) => a - b);
  const lo = all[Math.floor(0.02 * (all.length - 1))]!;
  const hi = all[Math.ceil(0.98 * (all.length - 1))]!;
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

/** An SVG path through the values; a missing value (null) breaks the line. */
export function curvePath(
  values: ReadonlyArray<number | null>,
  range: [number, number],
  width: number,
  height: number,
): string {
  const [lo, hi] = range;
  const y = (v: number) => height - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * height;
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${beatX(i, values.length, width).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  return d;
}

/**
 * Values averaged over a window of beats centred on each (nulls skipped; null where the window holds
 * no value): a bar-long window shows the shape of the phrasing rather than beat-to-beat jitter.
 */
export function smooth(values: ReadonlyArray<number | null>, window: number): Array<number | null> {
  if (window <= 1) return [...values];
  const half = Math.floor(window / 2);
  return values.map((_, i) => {
    let sum = 0;
    let count = 0;
    for (let k = Math.max(0, i - half); k <= Math.min(values.length - 1, i + half); k++) {
      const v = values[k];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      sum += v;
      count++;
    }
    return count ? sum / count : null;
  });
}

/** The most common number of beats in a bar (for a bar-long smoothing window). */
export function beatsPerBar(bars: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const bar of bars) counts.set(bar, (counts.get(bar) ?? 0) + 1);
  const tally = new Map<number, number>();
  for (const n of counts.values()) tally.set(n, (tally.get(n) ?? 0) + 1);
  let best = 1;
  let most = 0;
  for (const [n, times] of tally) if (times > most) [best, most] = [n, times];
  return best;
}

/** Downbeats to label on the bar ruler, thinned so labels stay at least `minGap` px apart. */
export function barTicks(
  bars: readonly number[],
  beatInBar: readonly number[],
  width: number,
  minGap = 28,
): Array<{ index: number; bar: number; x: number; label: boolean }> {
  const ticks: Array<{ index: number; bar: number; x: number; label: boolean }> = [];
  let lastLabel = -Infinity;
  bars.forEach((bar, i) => {
    if (beatInBar[i] !== 1 && i !== 0) return;
    const x = beatX(i, bars.length, width);
    // a label needs room on its right, inside the ruler
    const label = x - lastLabel >= minGap && x + 16 <= width;
    if (label) lastLabel = x;
    ticks.push({ index: i, bar, x, label });
  });
  return ticks;
}

/** The performance time at which each performance reaches the first beat of `bar`. */
export function barStarts(curves: WorkCurves, bar: number): Array<{ pieceId: string; title: string; time: number }> {
  const index = curves.beats.bars.findIndex((b) => b === bar);
  if (index < 0) return [];
  return curves.performances.flatMap((p) =>
    p.curves[index] ? [{ pieceId: p.pieceId, title: p.title, time: p.curves[index]!.perfTime }] : [],
  );
}

/** The same CSV as `midi-valle works curves --out x.csv`: one row per performance and beat. */
export function workCurvesCsv(curves: WorkCurves): string {
  return performancesCurvesCsv(curves.performances);
}
