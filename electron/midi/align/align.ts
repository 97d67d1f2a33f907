// Symbolic alignment of a performance to a reference (a score or another performance): a coarse,
// robust warp by multi-resolution DTW over per-key onset features, then note matching near the warp
// and a monotone time map through the matched chords, refined once more with a tighter window.
// See docs/midi.md (Alignment) for the method and why.
import { StudioFailure } from '../../contract/result';
import { warp } from './dtw';
import { chords, matchNotes, monotoneAnchors, type Anchor } from './match';
import { TimeMap } from './timemap';
import type { AlignNote, AlignStats, NotePair } from './types';

/** Windows of the matching passes around the current map, seconds: wide after DTW, then tight. */
const PASS_WINDOWS = [0.4, 0.2, 0.12];
/**
 * Below this share of notes matched (the smaller of the two ratios) two files are not one piece.
 * Calibrated on ../shared/testdata/asap: one work matches 0.94–0.99 of its notes, different works
 * 0.04–0.10. See docs/midi.md.
 */
export const SAME_PIECE_MIN_MATCHED = 0.5;
/** A stretch with at least this many notes and none matched counts as a section one file lacks. */
const GAP_MIN_NOTES = 8;

export interface Alignment {
  map: TimeMap;
  anchors: Anchor[];
  pairs: NotePair[];
  stats: AlignStats;
}

/** Longest stretch between matched onsets holding at least GAP_MIN_NOTES unmatched notes, seconds. */
function longestGap(notes: readonly AlignNote[], matched: Uint8Array): number {
  let longest = 0;
  let last = -1; // index of the last matched note
  let unmatched = 0;
  const close = (end: number) => {
    if (unmatched >= GAP_MIN_NOTES) {
      const from = last >= 0 ? notes[last]!.onset : notes[0]!.onset;
      longest = Math.max(longest, end - from);
    }
  };
  for (let i = 0; i < notes.length; i++) {
    if (matched[i]) {
      close(notes[i]!.onset);
      last = i;
      unmatched = 0;
    } else unmatched++;
  }
  close(notes[notes.length - 1]!.onset);
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

  const refMatched = new Uint8Array(ref.length);
  const perfMatched = new Uint8Array(perf.length);
  for (const p of pairs) {
    refMatched[p.ref] = 1;
    perfMatched[p.perf] = 1;
  }
  const refMatchedRatio = pairs.length / ref.length;
  const perfMatchedRatio = pairs.length / perf.length;
  const stats: AlignStats = {
    refNotes: ref.length,
    perfNotes: perf.length,
    matchedNotes: pairs.length,
    refMatchedRatio,
    perfMatchedRatio,
    pathCost: path.meanCost,
    longestRefGap: longestGap(ref, refMatched),
    longestPerfGap: longestGap(perf, perfMatched),
    anchors: anchors.length,
    samePiece: Math.min(refMatchedRatio, perfMatchedRatio) >= SAME_PIECE_MIN_MATCHED,
  };
  return { map, anchors, pairs, stats };
}
