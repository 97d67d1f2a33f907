// Musical position ↔ performance time through an alignment's sampled map ([t_perf, t_ref] points,
// both non-decreasing): what lets A/B switching between different performances land on the same
// bar and beat.

export type MapPoints = ReadonlyArray<readonly [number, number]>;

function interpolate(points: MapPoints, t: number, from: 0 | 1): number {
  const to = from === 0 ? 1 : 0;
  const n = points.length;
  if (!n) return t;
  if (t <= points[0]![from]) return points[0]![to] + (t - points[0]![from]);
  if (t >= points[n - 1]![from]) return points[n - 1]![to] + (t - points[n - 1]![from]);
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid]![from] <= t) lo = mid;
    else hi = mid;
  }
  const a = points[lo]!;
  const b = points[hi]!;
  const span = b[from] - a[from];
  return span > 0 ? a[to] + ((t - a[from]) / span) * (b[to] - a[to]) : a[to];
}

/** Performance seconds → reference seconds (outside the map, one second for one second). */
export const toRef = (points: MapPoints, perfTime: number): number => interpolate(points, perfTime, 0);

/** Reference seconds → performance seconds. */
export const toPerf = (points: MapPoints, refTime: number): number => interpolate(points, refTime, 1);

export interface BeatRuler {
  times: readonly number[];
  bars: readonly number[];
  beatInBar: readonly number[];
}

/** The bar and beat (1-based) sounding at reference time `t`; before the first beat, bar 1 beat 1. */
export function barBeatAt(beats: BeatRuler, t: number): { bar: number; beat: number } {
  let lo = 0;
  let hi = beats.times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (beats.times[mid]! <= t + 1e-6) lo = mid + 1;
    else hi = mid;
  }
  const i = Math.max(0, lo - 1);
  return { bar: beats.bars[i] ?? 1, beat: beats.beatInBar[i] ?? 1 };
}

/** Reference time where `bar` begins, and where the bar after `last` begins (or the last beat's time + one beat). */
export function barSpan(beats: BeatRuler, first: number, last: number): [number, number] | undefined {
  const start = beats.bars.findIndex((b) => b === first);
  if (start < 0) return undefined;
  const after = beats.bars.findIndex((b) => b > last);
  const n = beats.times.length;
  const end =
    after >= 0 ? beats.times[after]! : beats.times[n - 1]! + (n > 1 ? beats.times[n - 1]! - beats.times[n - 2]! : 1);
  return [beats.times[start]!, end];
}
