// Note matching near an expected time map, and the monotone anchors it yields. Notes are matched only
// to notes of the same pitch, nearest first (a greedy assignment by distance: cheap and, with a tight
// window, as good as an optimal one); a chord of the reference becomes one anchor at the median onset
// of its matched notes (a rolled chord or a leading melody note moves it little); and the anchors kept
// are the heaviest chain increasing in both times (a weighted longest increasing subsequence), which
// drops the odd wrong match and makes the map monotone.
import type { AlignNote, NotePair } from './types';

/** Reference notes starting within this of a chord's first note belong to that chord. */
export const CHORD_TOLERANCE = 0.035;
/** A matched note further than this from its chord's anchor is taken as a wrong match. */
const ANCHOR_SPREAD = 0.25;

export interface Anchor {
  ref: number;
  perf: number;
  /** Matched notes behind it. */
  weight: number;
}

/** Groups of reference note indices sounding together (notes sorted by onset). */
export function chords(notes: readonly AlignNote[]): number[][] {
  const out: number[][] = [];
  let start = -Infinity;
  for (let i = 0; i < notes.length; i++) {
    if (notes[i]!.onset - start > CHORD_TOLERANCE) {
      out.push([]);
      start = notes[i]!.onset;
    }
    out[out.length - 1]!.push(i);
  }
  return out;
}

/** Matches each reference note to an unused performance note of its pitch within `window` s of where `expect` puts it. */
export function matchNotes(
  refNotes: readonly AlignNote[],
  perfNotes: readonly AlignNote[],
  expect: (refTime: number) => number,
  window: number,
): NotePair[] {
  const byPitch = new Map<number, number[]>();
  perfNotes.forEach((n, j) => {
    let list = byPitch.get(n.pitch);
    if (!list) byPitch.set(n.pitch, (list = []));
    list.push(j); // perf notes are sorted by onset, so each list is too
  });
  const candidates: Array<{ d: number; i: number; j: number }> = [];
  refNotes.forEach((n, i) => {
    const list = byPitch.get(n.pitch);
    if (!list) return;
    const e = expect(n.onset);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (perfNotes[list[mid]!]!.onset < e - window) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < list.length; k++) {
      const j = list[k]!;
      const d = perfNotes[j]!.onset - e;
      if (d > window) break;
      candidates.push({ d: Math.abs(d), i, j });
    }
  });
  candidates.sort((a, b) => a.d - b.d);
  const refUsed = new Uint8Array(refNotes.length);
  const perfUsed = new Uint8Array(perfNotes.length);
  const pairs: NotePair[] = [];
  for (const c of candidates) {
    if (refUsed[c.i] || perfUsed[c.j]) continue;
    refUsed[c.i] = 1;
    perfUsed[c.j] = 1;
    pairs.push({ ref: c.i, perf: c.j });
  }
  return pairs;
}

const median = (values: number[]): number => {
  values.sort((a, b) => a - b);
  const m = values.length >> 1;
  return values.length % 2 ? values[m]! : (values[m - 1]! + values[m]!) / 2;
};

/**
 * One anchor per reference chord with matches, then the heaviest chain of anchors increasing in both
 * times. Returns the anchors kept and the pairs consistent with them.
 */
export function monotoneAnchors(
  refNotes: readonly AlignNote[],
  perfNotes: readonly AlignNote[],
  groups: readonly number[][],
  pairs: readonly NotePair[],
): { anchors: Anchor[]; pairs: NotePair[] } {
  const groupOf = new Int32Array(refNotes.length);
  groups.forEach((g, k) => g.forEach((i) => (groupOf[i] = k)));
  const perGroup: NotePair[][] = groups.map(() => []);
  for (const p of pairs) perGroup[groupOf[p.ref]!]!.push(p);

  const candidates: Array<Anchor & { pairs: NotePair[] }> = [];
  groups.forEach((_, k) => {
    const matched = perGroup[k]!;
    if (!matched.length) return;
    const perf = median(matched.map((p) => perfNotes[p.perf]!.onset));
    const kept = matched.filter((p) => Math.abs(perfNotes[p.perf]!.onset - perf) <= ANCHOR_SPREAD);
    if (!kept.length) return;
    // the same statistic on both sides, so a performance aligned to itself maps onto itself exactly
    const ref = median(kept.map((p) => refNotes[p.ref]!.onset));
    candidates.push({ ref, perf, weight: kept.length, pairs: kept });
  });

  // heaviest chain, strictly increasing in perf time (ref time already is): O(n log n) with a
  // Fenwick tree of best chain weights over the rank of the perf time
  const n = candidates.length;
  const order = candidates.map((_, k) => k).sort((a, b) => candidates[a]!.perf - candidates[b]!.perf);
  const rank = new Int32Array(n);
  let r = 0;
  order.forEach((k, idx) => {
    if (idx > 0 && candidates[k]!.perf > candidates[order[idx - 1]!]!.perf) r++;
    rank[k] = r;
  });
  const treeBest = new Float64Array(r + 2);
  const treeArg = new Int32Array(r + 2).fill(-1);
  const best = new Float64Array(n);
  const prev = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    // best chain ending at a perf rank strictly below this one
    let q = rank[k]!; // prefix [0, rank-1] in 1-based positions 1..rank
    let bw = 0;
    let ba = -1;
    while (q > 0) {
      if (treeBest[q]! > bw) {
        bw = treeBest[q]!;
        ba = treeArg[q]!;
      }
      q -= q & -q;
    }
    best[k] = bw + candidates[k]!.weight;
    prev[k] = ba;
    for (let u = rank[k]! + 1; u < treeBest.length; u += u & -u) {
      if (best[k]! > treeBest[u]!) {
        treeBest[u] = best[k]!;
        treeArg[u] = k;
      }
    }
  }
  let end = -1;
  for (let k = 0; k < n; k++) if (end < 0 || best[k]! > best[end]!) end = k;
  const chain: number[] = [];
  for (let k = end; k >= 0; k = prev[k]!) chain.push(k);
  chain.reverse();
  return {
    anchors: chain.map((k) => ({ ref: candidates[k]!.ref, perf: candidates[k]!.perf, weight: candidates[k]!.weight })),
    pairs: chain.flatMap((k) => candidates[k]!.pairs),
  };
}
