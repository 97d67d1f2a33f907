// Plain data of the alignment domain.
import type { Hand } from '../../shared/performance';

/** What alignment needs of a note; PerformedNote fits. */
export interface AlignNote {
  pitch: number;
  onset: number;
  velocity: number;
  hand: Hand;
}

/** One matched note: indices into the reference's and the performance's note lists. */
export interface NotePair {
  ref: number;
  perf: number;
}

export interface AlignStats {
  refNotes: number;
  perfNotes: number;
  matchedNotes: number;
  /** matched / reference notes: how much of the reference was found. */
  refMatchedRatio: number;
  /** matched / performance notes: how much of the performance is accounted for. */
  perfMatchedRatio: number;
  /** Mean DTW frame cost along the path (0 identical, 1 unrelated notes). */
  pathCost: number;
  /** Longest stretch of the reference the performance skips (a cut, a repeat not taken), reference seconds. */
  longestRefGap: number;
  /** Longest stretch of the performance the reference lacks (a repeat taken, an addition), performance seconds. */
  longestPerfGap: number;
  anchors: number;
  samePiece: boolean;
}
