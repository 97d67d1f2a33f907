// Which hand plays each note. Files with exactly two note tracks are usually engraved as right/left
// hand staves, so the track decides. Otherwise a split point that follows the music: in sliding windows
// the pitches are cut in two where the within-group spread is smallest (1-D two-means), and the cut is
// smoothed over time, so a left hand that climbs above middle C stays the left hand.
import type { PerformedNote } from '../shared/performance';

export type HandMethod = 'tracks' | 'split';

const WINDOW_HOP = 0.5; // seconds between split estimates
const WINDOW_HALF = 1.5; // each estimate looks at notes starting within ±1.5 s
const DEFAULT_SPLIT = 60; // middle C: notes below go to the left hand
const MIN_SPLIT = 43;
const MAX_SPLIT = 78;
const SINGLE_HAND_SPAN = 10; // a window spanning fewer semitones is played by one hand
const SMOOTH_RADIUS = 2; // median over 5 estimates (2.5 s)

/** Sets `hand` on every note (notes sorted by onset) and says how it decided. */
export function assignHands(notes: PerformedNote[]): HandMethod {
  const tracks = [...new Set(notes.map((n) => n.track))];
  if (tracks.length === 2) {
    const mean = (t: number) => {
      let sum = 0;
      let count = 0;
      for (const n of notes) {
        if (n.track !== t) continue;
        sum += n.pitch;
        count++;
      }
      return sum / count;
    };
    const [a, b] = tracks as [number, number];
    const leftTrack = mean(a) <= mean(b) ? a : b;
    for (const n of notes) n.hand = n.track === leftTrack ? 'left' : 'right';
    return 'tracks';
  }
  const splits = splitCurve(notes);
  for (const n of notes) {
    const i = Math.min(splits.length - 1, Math.max(0, Math.round(n.onset / WINDOW_HOP)));
    n.hand = n.pitch < splits[i]! ? 'left' : 'right';
  }
  return 'split';
}

/** The split pitch every WINDOW_HOP seconds: notes with pitch < split are left hand. */
function splitCurve(notes: PerformedNote[]): Float64Array {
  const last = notes.length ? notes[notes.length - 1]!.onset : 0;
  const count = Math.floor(last / WINDOW_HOP) + 2;
  const raw = new Float64Array(count);
  const histogram = new Float64Array(128);
  let lo = 0; // notes[lo..hi) start inside the current window
  let hi = 0;
  let previous = DEFAULT_SPLIT;
  for (let w = 0; w < count; w++) {
    const centre = w * WINDOW_HOP;
    while (hi < notes.length && notes[hi]!.onset < centre + WINDOW_HALF) histogram[notes[hi++]!.pitch]! += 1;
    while (lo < hi && notes[lo]!.onset < centre - WINDOW_HALF) histogram[notes[lo++]!.pitch]! -= 1;
    const split = bestSplit(histogram, previous);
    raw[w] = split;
    previous = split;
  }
  const smooth = new Float64Array(count);
  const window: number[] = [];
  for (let w = 0; w < count; w++) {
    window.length = 0;
    for (let k = Math.max(0, w - SMOOTH_RADIUS); k <= Math.min(count - 1, w + SMOOTH_RADIUS); k++) window.push(raw[k]!);
    window.sort((x, y) => x - y);
    smooth[w] = window[window.length >> 1]!;
  }
  return smooth;
}

/** Two-means cut of the window's pitches, kept in the plausible range; the previous cut when one hand rests. */
function bestSplit(histogram: Float64Array, previous: number): number {
  let min = -1;
  let max = -1;
  let total = 0;
  let sum = 0;
  let sumSq = 0;
  for (let p = 0; p < 128; p++) {
    const c = histogram[p]!;
    if (c <= 0) continue;
    if (min < 0) min = p;
    max = p;
    total += c;
    sum += c * p;
    sumSq += c * p * p;
  }
  if (total === 0) return previous;
  if (max - min < SINGLE_HAND_SPAN) {
    // One hand plays: keep the cut where it was unless these notes would all fall on the "wrong" side
    // of a cut that is clearly elsewhere; then move the cut just past them.
    if (min >= previous || max < previous) return previous;
    return (min + max) / 2 < previous ? max + 1 : min;
  }
  let best = previous;
  let bestCost = Infinity;
  let leftCount = 0;
  let leftSum = 0;
  let leftSq = 0;
  for (let p = min; p < max; p++) {
    const c = histogram[p]!;
    leftCount += c;
    leftSum += c * p;
    leftSq += c * p * p;
    const rightCount = total - leftCount;
    if (leftCount <= 0 || rightCount <= 0) continue;
    const cut = p + 1;
    if (cut < MIN_SPLIT || cut > MAX_SPLIT) continue;
    const rightSum = sum - leftSum;
    const cost = leftSq - (leftSum * leftSum) / leftCount + (sumSq - leftSq) - (rightSum * rightSum) / rightCount;
    // a small pull towards the previous cut keeps the hands from swapping on ambiguous windows
    const score = cost + 0.5 * total * Math.abs(cut - previous);
    if (score < bestCost) {
      bestCost = score;
      best = cut;
    }
  }
  return best;
}
