// Dynamic time warping of two onset-feature grids, multi-resolution (as in Müller et al.'s MrMsDTW and
// Salvador & Chan's FastDTW): a full DTW at a coarse step, then at each finer step only inside a band
// around the coarser path. Cost grows with the length of the piece, not its square, so an hour of music
// aligns in well under a second. No npm DTW package does banded multi-resolution DTW over sparse feature
// vectors (dynamic-time-warping and dtw are full O(N·M) over scalars), hence this small one.
import { DIMS, onsetGrid, type FeatureGrid } from './features';
import type { AlignNote } from './types';

/** Finest grid step, seconds; note matching refines below it. */
export const FINE_STEP = 0.05;
/** Largest side of the full (unbanded) coarse DTW. */
const MAX_FULL_FRAMES = 1500;
const LEVEL_FACTOR = 4;
/** Fine frames added on each side of the upsampled coarser path. */
const BAND_RADIUS = 6;

export interface WarpPath {
  /** Pairs of frame indices (ref row, perf column), from the start to the end. */
  ref: Int32Array;
  perf: Int32Array;
  refGrid: FeatureGrid;
  perfGrid: FeatureGrid;
  /** Mean local cost along the path, 0..1. */
  meanCost: number;
}

interface Band {
  lo: Int32Array;
  hi: Int32Array;
}

/** Frame i of `a` spread into `dense` (which must be all zero), so costs against it are sparse dots. */
function spread(a: FeatureGrid, i: number, dense: Float32Array): void {
  for (let k = a.rowStart[i]!; k < a.rowStart[i + 1]!; k++) dense[a.dim[k]!] = a.value[k]!;
}
function unspread(a: FeatureGrid, i: number, dense: Float32Array): void {
  for (let k = a.rowStart[i]!; k < a.rowStart[i + 1]!; k++) dense[a.dim[k]!] = 0;
}
/** 1 − cosine similarity of the spread row and frame j of `b`. */
function frameCost(dense: Float32Array, b: FeatureGrid, j: number): number {
  let dot = 0;
  for (let k = b.rowStart[j]!; k < b.rowStart[j + 1]!; k++) dot += dense[b.dim[k]!]! * b.value[k]!;
  return 1 - dot;
}

/** DTW with the symmetric step pattern (diagonal steps count twice) restricted to a band. */
function bandedDtw(
  ref: FeatureGrid,
  perf: FeatureGrid,
  band: Band,
): { ref: Int32Array; perf: Int32Array; meanCost: number } {
  const rows = ref.frames;
  const offset = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) offset[i + 1] = offset[i]! + band.hi[i]! - band.lo[i]! + 1;
  const total = offset[rows]!;
  const acc = new Float32Array(total);
  const from = new Uint8Array(total); // 0 start, 1 diagonal, 2 from the row above, 3 from the left
  const at = (i: number, j: number): number => (j < band.lo[i]! || j > band.hi[i]! ? -1 : offset[i]! + j - band.lo[i]!);
  const dense = new Float32Array(DIMS);
  for (let i = 0; i < rows; i++) {
    const lo = band.lo[i]!;
    const hi = band.hi[i]!;
    spread(ref, i, dense);
    for (let j = lo; j <= hi; j++) {
      const c = frameCost(dense, perf, j);
      const k = offset[i]! + j - lo;
      if (i === 0 && j === 0) {
        acc[k] = c;
        continue;
      }
      let best = Infinity;
      let dir = 0;
      if (i > 0) {
        const d = at(i - 1, j - 1);
        if (j > 0 && d >= 0 && acc[d]! + 2 * c < best) {
          best = acc[d]! + 2 * c;
          dir = 1;
        }
        const u = at(i - 1, j);
        if (u >= 0 && acc[u]! + c < best) {
          best = acc[u]! + c;
          dir = 2;
        }
      }
      if (j > lo && acc[k - 1]! + c < best) {
        best = acc[k - 1]! + c;
        dir = 3;
      }
      acc[k] = best;
      from[k] = dir;
    }
    unspread(ref, i, dense);
  }
  const pathRef: number[] = [];
  const pathPerf: number[] = [];
  let i = rows - 1;
  let j = perf.frames - 1;
  let costSum = 0;
  for (;;) {
    pathRef.push(i);
    pathPerf.push(j);
    spread(ref, i, dense);
    costSum += frameCost(dense, perf, j);
    unspread(ref, i, dense);
    const k = at(i, j);
    const dir = k >= 0 ? from[k]! : 0;
    if (dir === 0) break;
    if (dir === 1) {
      i--;
      j--;
    } else if (dir === 2) i--;
    else j--;
  }
  pathRef.reverse();
  pathPerf.reverse();
  return { ref: Int32Array.from(pathRef), perf: Int32Array.from(pathPerf), meanCost: costSum / pathRef.length };
}

const fullBand = (rows: number, cols: number): Band => ({
  lo: new Int32Array(rows),
  hi: new Int32Array(rows).fill(cols - 1),
});

/** The band at a finer level: the coarser path scaled up, widened by BAND_RADIUS, made monotone. */
function bandAround(path: { ref: Int32Array; perf: Int32Array }, factor: number, rows: number, cols: number): Band {
  const lo = new Int32Array(rows).fill(cols);
  const hi = new Int32Array(rows).fill(-1);
  for (let p = 0; p < path.ref.length; p++) {
    const r0 = Math.max(0, path.ref[p]! * factor - BAND_RADIUS);
    const r1 = Math.min(rows - 1, (path.ref[p]! + 1) * factor - 1 + BAND_RADIUS);
    const c0 = Math.max(0, path.perf[p]! * factor - BAND_RADIUS);
    const c1 = Math.min(cols - 1, (path.perf[p]! + 1) * factor - 1 + BAND_RADIUS);
    for (let r = r0; r <= r1; r++) {
      if (c0 < lo[r]!) lo[r] = c0;
      if (c1 > hi[r]!) hi[r] = c1;
    }
  }
  lo[0] = 0;
  hi[rows - 1] = cols - 1;
  // every row non-empty and the band monotone, so a path through it always exists
  for (let r = 1; r < rows; r++) {
    if (hi[r]! < hi[r - 1]!) hi[r] = hi[r - 1]!;
  }
  for (let r = rows - 2; r >= 0; r--) {
    if (lo[r]! > lo[r + 1]!) lo[r] = lo[r + 1]!;
  }
  for (let r = 0; r < rows; r++) if (lo[r]! > hi[r]!) lo[r] = hi[r]!;
  return { lo, hi };
}

/**
 * Warps the reference's notes onto the performance's. Each grid starts at its first onset, so silence
 * before the music costs nothing.
 */
export function warp(refNotes: readonly AlignNote[], perfNotes: readonly AlignNote[]): WarpPath {
  const span = (notes: readonly AlignNote[]) => {
    let first = Infinity;
    let last = -Infinity;
    for (const n of notes) {
      if (n.onset < first) first = n.onset;
      if (n.onset > last) last = n.onset;
    }
    return [first, last] as const;
  };
  const [refStart, refEnd] = span(refNotes);
  const [perfStart, perfEnd] = span(perfNotes);
  const longest = Math.max(refEnd - refStart, perfEnd - perfStart);
  const steps = [FINE_STEP];
  while (longest / steps[0]! > MAX_FULL_FRAMES) steps.unshift(steps[0]! * LEVEL_FACTOR);

  let path: { ref: Int32Array; perf: Int32Array; meanCost: number } | undefined;
  let refGrid!: FeatureGrid;
  let perfGrid!: FeatureGrid;
  for (const step of steps) {
    refGrid = onsetGrid(refNotes, refStart, refEnd, step);
    perfGrid = onsetGrid(perfNotes, perfStart, perfEnd, step);
    const band = path
      ? bandAround(path, LEVEL_FACTOR, refGrid.frames, perfGrid.frames)
      : fullBand(refGrid.frames, perfGrid.frames);
    path = bandedDtw(refGrid, perfGrid, band);
  }
  return { ...path!, refGrid, perfGrid };
}
