// The core types that flow between domains (midi → audio/engine → library). Plain data only:
// they cross process boundaries and are stored as JSON.

export type Hand = 'left' | 'right';

/** One played note, times in seconds from the start of the piece (tempo map applied). */
export interface PerformedNote {
  pitch: number; // MIDI note number 0..127 (the piano range is 21..108)
  velocity: number; // 1..127
  onset: number;
  offset: number;
  track: number;
  channel: number;
  hand: Hand;
}

export type PedalKind = 'sustain' | 'sostenuto' | 'soft';

/** A pedal controller change; value 0..127 as in the MIDI file (≥ 64 is down for sustain). */
export interface PedalEvent {
  kind: PedalKind;
  time: number;
  value: number;
}

export interface Performance {
  notes: PerformedNote[]; // sorted by onset, then pitch
  pedals: PedalEvent[]; // sorted by time
  /** Seconds to the last note-off (or last pedal event if later). */
  duration: number;
  tracks: Array<{ index: number; name: string; noteCount: number; channels: number[] }>;
  /** Human-readable notes on what the import changed or ignored (drums, out-of-range pitches, …). */
  warnings: string[];
}

/** A span of the piece rendered as one unit; every note belongs to exactly one segment (by onset). */
export interface Segment {
  index: number;
  start: number; // seconds
  end: number; // seconds; notes may ring past it
  noteIndices: number[]; // indices into Performance.notes
}
