// The MIDI domain's public surface: import, segmentation, pedal handling, tokens.
export {
  importMidi,
  parseMidi,
  PIANO_HIGH,
  PIANO_LOW,
  MAX_NOTE_SECONDS,
  type MidiImport,
  type MidiStats,
} from './import';
export { isMidiFileName, readMidiFile } from './files';
export { foldSustain, sustainSpans, PEDAL_MODES, type PedalMode } from './pedal';
export {
  officialBoundaries,
  officialBoundaryStream,
  segmentNotes,
  segmentPerformance,
  withPedal,
  SEGMENTER_MODES,
  type SegmenterMode,
} from './segments';
export {
  detokenize,
  tokenizeNotes,
  tokenizeNotesCounted,
  tokenRows,
  TOKEN_COLUMNS,
  TOKEN_WIDTH,
  BOS,
  EOS,
  PAD,
  type TokenMatrix,
  type TokenNote,
} from './tokenizer';
export { droppedNotes, type DroppedNotes } from './dropped-notes';
export {
  buildModelTokens,
  buildModelTokensCounted,
  MODEL_BAR_VOCAB,
  MODEL_MAX_ONSET_SECONDS,
  type ModelTokenOptions,
} from './model-tokens';
export { decodeTokenNpy, encodeTokenNpy } from './npy';
export type { SecondsNote } from './official-io';
export { writeMidi } from './write';
export { titleFromMidi, type MidiTitle } from './title';
