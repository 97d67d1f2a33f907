// Performance curves per beat of the reference, read off an alignment: tempo (the performance's time
// between mapped beats), dynamics (mean velocity of the notes played in the beat) and hand asynchrony
// (when both hands have a note of one score chord: right-hand onset minus left-hand onset, so a melody
// that leads the bass gives negative values).
import type { Alignment } from './align';
import type { BeatGrid } from './beats';
import { chords } from './match';
import type { AlignNote } from './types';
import { CURVE_COLUMNS, curvesCsv as sharedCurvesCsv } from '../../shared/curves-csv';

export interface CurveRow {
  /** Beat number from 1, bar from 1, beat in bar from 1. */
  beat: number;
  bar: number;
  beatInBar: number;
  refTime: number;
  perfTime: number;
  /** Beats per minute from this beat to the next, in the performance; null for the last beat. */
  bpm: number | null;
  /** The same in the reference (the score's tempo when the reference is a score). */
  refBpm: number | null;
  /** Mean MIDI velocity of the performance's notes starting in this beat; null when none does. */
  velocity: number | null;
  notes: number;
  /** Mean right-minus-left onset difference over the beat's chords with matched notes in both hands, ms. */
  asynchronyMs: number | null;
}

export { CURVE_COLUMNS };
// Every CSV column is a field of a row.
void (CURVE_COLUMNS satisfies ReadonlyArray<keyof CurveRow>);

/** Index of the last value ≤ t in increasing `xs`, or -1. */
function lastAtOrBefore(xs: readonly number[], t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export function performanceCurves(
  alignment: Alignment,
  ref: readonly AlignNote[],
  perf: readonly AlignNote[],
  beats: BeatGrid,
): CurveRow[] {
  const b = beats.times;
  const p = b.map((t) => alignment.map.toPerf(t));
  const rows: CurveRow[] = b.map((refTime, k) => ({
    beat: k + 1,
    bar: beats.bars[k]!,
    beatInBar: beats.beatInBar[k]!,
    refTime,
    perfTime: p[k]!,
    bpm: k + 1 < b.length ? 60 / (p[k + 1]! - p[k]!) : null,
    refBpm: k + 1 < b.length ? 60 / (b[k + 1]! - refTime) : null,
    velocity: null,
    notes: 0,
    asynchronyMs: null,
  }));
  if (!rows.length) return rows;

  // dynamics: performance notes by the beat they start in (the last beat as long as the one before)
  const lastEnd = p.length > 1 ? 2 * p.at(-1)! - p.at(-2)! : Infinity;
  const velocitySum = new Float64Array(rows.length);
  for (const n of perf) {
    const k = lastAtOrBefore(p, n.onset);
    if (k < 0 || (k === rows.length - 1 && n.onset >= lastEnd)) continue;
    velocitySum[k] = velocitySum[k]! + n.velocity;
    rows[k]!.notes++;
  }
  rows.forEach((row, k) => (row.velocity = row.notes ? velocitySum[k]! / row.notes : null));

  // asynchrony: per reference chord with matched notes in both hands (hands as the reference has them)
  const perfOf = new Int32Array(ref.length).fill(-1);
  for (const pair of alignment.pairs) perfOf[pair.ref] = pair.perf;
  const asyncSum = new Float64Array(rows.length);
  const asyncCount = new Int32Array(rows.length);
  for (const chord of chords(ref)) {
    let right = 0;
    let nRight = 0;
    let left = 0;
    let nLeft = 0;
    for (const i of chord) {
      const j = perfOf[i]!;
      if (j < 0) continue;
      if (ref[i]!.hand === 'right') {
        right += perf[j]!.onset;
        nRight++;
      } else {
        left += perf[j]!.onset;
        nLeft++;
      }
    }
    if (!nRight || !nLeft) continue;
    const k = lastAtOrBefore(b, ref[chord[0]!]!.onset + 1e-6);
    if (k < 0) continue;
    asyncSum[k] = asyncSum[k]! + (right / nRight - left / nLeft) * 1000;
    asyncCount[k]!++;
  }
  rows.forEach((row, k) => (row.asynchronyMs = asyncCount[k] ? asyncSum[k]! / asyncCount[k]! : null));
  return rows;
}

const DECIMALS: Partial<Record<keyof CurveRow, number>> = {
  refTime: 3,
  perfTime: 3,
  bpm: 2,
  refBpm: 2,
  velocity: 1,
  asynchronyMs: 1,
};

/** Rounded for output: milliseconds for times, hundredths of a BPM, tenths of velocity and ms. */
export function roundCurveRow(row: CurveRow): CurveRow {
  const out = { ...row };
  for (const [key, decimals] of Object.entries(DECIMALS) as Array<[keyof CurveRow, number]>) {
    const v = row[key];
    if (typeof v === 'number') (out as Record<string, unknown>)[key] = Number(v.toFixed(decimals));
  }
  return out;
}

/** CSV of rounded rows (electron/shared/curves-csv.ts). */
export function curvesCsv(rows: readonly CurveRow[]): string {
  return sharedCurvesCsv(rows.map(roundCurveRow));
}
