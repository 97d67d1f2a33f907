// Symbolic alignment of a performance to a reference (a score or another performance): a coarse,
// robust warp by multi-resolution DTW over per-key onset features, then note matching near the warp
// and a monotone time map through the matched chords, refined once more with a tighter window.
// See docs/midi.md (Alignment) for the method and why.
import { StudioFailure } from '../../shared/failure';
import { warp } from './dtw';
import { chords, matchNotes, monotoneAnchors, type Anchor } from './match';
import { TimeMap } from './timemap';
import type { AlignNote, AlignStats, NotePair } from './types';

/** Windows of the matching passes around the current map, seconds: wide after DTW, then tight. */
const PASS_WINDOWS = [0.4, 0.2, 0.12];
/**
 * Two files are one piece when at least half the notes of one of them are matched, and at least a
 * quarter of the other's: a performance that takes every repeat (twice the notes of a score without
 * them) still counts, while different works stay far below. Calibrated on ../shared/testdata/asap:
 * one work matches 0.94–0.99 of the notes of each file; different works 0.04–0.10 of one file and at
 * most 0.20 of the other. See docs/midi.md.
 */
export const SAME_PIECE_MIN_MATCHED = 0.5;
export const SAME_PIECE_MIN_MATCHED_OTHER = 0.25;
export interface Alignment {
  map: TimeMap;
  anchors: Anchor[];
  pairs: NotePair[];
  stats: AlignStats;
}

/** A step between anchors this many times slower (or faster) than the typical tempo ratio skips material. */
const SKIP_FACTOR = 3;
/** Stray matches inside a skipped stretch give short ordinary steps; this much ordinary music ends it. */
const CALM_SECONDS = 3;

/**
 * The longest stretch one file has and the other lacks (a repeat taken in one only, a cut), seconds
 * of that file: consecutive anchor steps whose tempo ratio is far from the typical one, the excess
 * over the typical ratio summed; stray matches inside such a stretch (under CALM_SECONDS of ordinary
 * steps) do not break it up.
 */
function longestSkips(anchors: readonly Anchor[]): { perf: number; ref: number } {
  const ratios: number[] = [];
  for (let k = 1; k < anchors.length; k++) {
    const dr = anchors[k]!.ref - anchors[k - 1]!.ref;
    const dp = anchors[k]!.perf - anchors[k - 1]!.perf;
    if (dr > 0 && dp > 0) ratios.push(dp / dr);
  }
  if (!ratios.length) return { perf: 0, ref: 0 };
  ratios.sort((a, b) => a - b);
  const typical = ratios[ratios.length >> 1]!;
  const longest = { perf: 0, ref: 0 };
  const run = { perf: 0, ref: 0 };
  // seconds (of the file that skips) since a step last looked like skipping: a run ends after CALM_SECONDS
  const calm = { perf: 0, ref: 0 };
  for (let k = 1; k < anchors.length; k++) {
    const dr = anchors[k]!.ref - anchors[k - 1]!.ref;
    const dp = anchors[k]!.perf - anchors[k - 1]!.perf;
    // performance time beyond what the reference step explains, and the other way round
    if (dp > SKIP_FACTOR * typical * dr) {
      run.perf += dp - typical * dr;
      calm.perf = 0;
    } else if ((calm.perf += dp) > CALM_SECONDS) run.perf = 0;
    if (dr * typical > SKIP_FACTOR * dp) {
      run.ref += dr - dp / typical;
      calm.ref = 0;
    } else if ((calm.ref += dr) > CALM_SECONDS) run.ref = 0;
    longest.perf = Math.max(longest.perf, run.perf);
    longest.ref = Math.max(longest.ref, run.ref);
  }
  return longest;
}

const byOnset = (notes: readonly AlignNote[]): boolean =>
  notes.every((n, i) => i === 0 || notes[i - 1]!.onset <= n.onset);

/**
 * Aligns `perf` to `ref` (both sorted by onset, as the MIDI import leaves them). Never throws for
 * unrelated music: `stats.samePiece` says whether the result means anything.
 */
export function alignNotes(ref: readonly AlignNote[], perf: readonly AlignNote[]): Alignment {
  if (ref.length === 0 || perf.length === 0) {
    throw new StudioFailure('bad-input', 'nothing to align: one of the files has no notes');
  }
  if (!byOnset(ref) || !byOnset(perf)) throw new Error('alignNotes needs notes sorted by onset');
  const path = warp(ref, perf);
  // DTW path → a first map: per reference frame, the mean performance frame
  const xs: number[] = [];
  const ys: number[] = [];
  const { refGrid, perfGrid } = path;
  for (let p = 0; p < path.ref.length;) {
    const row = path.ref[p]!;
    let sum = 0;
    let count = 0;
    for (; p < path.ref.length && path.ref[p] === row; p++, count++) sum += path.perf[p]!;
    xs.push(refGrid.origin + (row + 0.5) * refGrid.step);
    ys.push(perfGrid.origin + (sum / count + 0.5) * perfGrid.step);
  }
  let map = new TimeMap(xs, ys);
  const groups = chords(ref);
  let anchors: Anchor[] = [];
  let pairs: NotePair[] = [];
  for (const window of PASS_WINDOWS) {
    const current = map;
    const found = matchNotes(ref, perf, (t) => current.toPerf(t), window);
    const kept = monotoneAnchors(ref, perf, groups, found);
    if (kept.anchors.length === 0) break;
    anchors = kept.anchors;
    pairs = kept.pairs;
    map = new TimeMap(
      anchors.map((a) => a.ref),
      anchors.map((a) => a.perf),
    );
  }

  const skips = longestSkips(anchors);
  const refMatchedRatio = pairs.length / ref.length;
  const perfMatchedRatio = pairs.length / perf.length;
  const stats: AlignStats = {
    refNotes: ref.length,
    perfNotes: perf.length,
    matchedNotes: pairs.length,
    refMatchedRatio,
    perfMatchedRatio,
    pathCost: path.meanCost,
    longestRefGap: skips.ref,
    longestPerfGap: skips.perf,
    anchors: anchors.length,
    samePiece:
      Math.max(refMatchedRatio, perfMatchedRatio) >= SAME_PIECE_MIN_MATCHED &&
      Math.min(refMatchedRatio, perfMatchedRatio) >= SAME_PIECE_MIN_MATCHED_OTHER,
  };
  return { map, anchors, pairs, stats };
}
