// Alignment of performances to a score or to each other (see docs/midi.md, Alignment).
export { alignNotes, SAME_PIECE_MIN_MATCHED, SAME_PIECE_MIN_MATCHED_OTHER, type Alignment } from './align';
export { TimeMap } from './timemap';
export type { AlignNote, AlignStats, NotePair } from './types';
export { sampleMap, type MapPoint } from './sample';
export { midiBeats, parseBeatList, type BeatGrid } from './beats';
export { CURVE_COLUMNS, curvesCsv, performanceCurves, roundCurveRow, type CurveRow } from './curves';
