// The time map as a list of points for callers outside the domain (CLI, views): one point at every
// matched chord, with points added so that no two are more than `maxStep` seconds of performance apart.
import type { Alignment } from './align';
import type { AlignNote } from './types';

/** [performance seconds, reference seconds], both non-decreasing. */
export type MapPoint = [number, number];

const round3 = (t: number): number => Math.round(t * 1000) / 1000;

/** Samples the map over the whole performance (first onset to last onset), rounded to milliseconds. */
export function sampleMap(alignment: Alignment, perf: readonly AlignNote[], maxStep = 0.5): MapPoint[] {
  const { map } = alignment;
  const times: number[] = [];
  const start = Math.min(perf[0]!.onset, map.perf[0]!);
  const end = Math.max(perf[perf.length - 1]!.onset, map.perf[map.size - 1]!);
  const push = (t: number) => {
    const last = times.at(-1);
    if (last !== undefined) {
      // fill the stretch since the last point in equal steps of at most maxStep
      const pieces = Math.ceil((t - last) / maxStep - 1e-9);
      for (let k = 1; k < pieces; k++) times.push(last + ((t - last) * k) / pieces);
    }
    times.push(t);
  };
  push(start);
  for (let k = 0; k < map.size; k++) if (map.perf[k]! > times.at(-1)!) push(map.perf[k]!);
  if (end > times.at(-1)!) push(end);
  const points: MapPoint[] = [];
  let lastRef = 0;
  for (const t of times) {
    // before the first anchor the map extrapolates; reference time never goes below 0 or back
    const ref = Math.max(lastRef, round3(map.toRef(t)));
    points.push([round3(t), ref]);
    lastRef = ref;
  }
  return points;
}
