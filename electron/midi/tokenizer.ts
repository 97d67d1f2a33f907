// ExpressionTok, MIDI mode, as MIDI-VALLE's midi_tokenize.py produces it (midi-valle-data.md §1):
// one row per note [Pitch, Velocity, Duration, IOI, Position, Bar], BOS row first, EOS row last.
import { StudioFailure } from '../shared/failure';
import { droppedNotes, type DroppedNotes } from './dropped-notes';
import {
  PM_TICKS_PER_QUARTER,
  pmWriteEvents,
  secondsToPmTicks,
  symusicOrder,
  symusicRead,
  type SecondsNote,
  type TickNotes,
} from './official-io';

/** Column order of the official .npy files. */
export const TOKEN_COLUMNS = ['pitch', 'velocity', 'duration', 'ioi', 'position', 'bar'] as const;
export const TOKEN_WIDTH = 6;
export const PAD = 0;
export const BOS = 1;
export const EOS = 2;

const TOKEN_TPQ = 96; // 96 positions per beat
const TICKS_PER_BAR = 384; // 4/4 always
const MAX_DURATION = 1152; // 12 beats
const MAX_IOI = 383;
const PITCH_LOW = 21;
const PITCH_HIGH = 108;
/** The tokenizer's Bar vocabulary: Bar_0 … Bar_2999. */
export const TOKENIZER_MAX_BAR = 2999;
/** Seconds per token tick for files at 120 BPM: 1/192 s. */
export const TOKEN_SECONDS_PER_TICK = 1 / 192;

/** An (rows × 6) integer token matrix, row-major; rows include BOS and EOS. */
export interface TokenMatrix {
  rows: number;
  data: Int32Array;
}

/** Tokens of notes given in seconds from 0, as the official pipeline tokenizes a segment file. */
export function tokenizeNotes(notes: readonly SecondsNote[]): TokenMatrix {
  return tokenizeNotesCounted(notes).tokens;
}

/** tokenizeNotes, with the notes it left out counted and explained (the tokens are the same). */
export function tokenizeNotesCounted(notes: readonly SecondsNote[]): { tokens: TokenMatrix; report: DroppedNotes } {
  for (const n of notes) {
    if (!(n.onset >= 0) || !(n.offset >= n.onset)) {
      throw new StudioFailure(
        'invalid-argument',
        `note at ${n.onset} s has an invalid time; notes must start at or after 0 and end after they start`,
      );
    }
  }
  const counts = { outOfRange: 0 };
  const tokens = tokenizeTickNotes(symusicRead(pmWriteEvents(secondsToPmTicks(notes))), TOKENIZER_MAX_BAR, counts);
  return { tokens, report: droppedNotes(notes, tokens.rows - 2, counts.outOfRange) };
}

/**
 * Steps 2–7 of the official tokenizer on notes read from a 220-tpq file: symusic order, 96-tpq resample
 * (half away from zero, start and duration separately), pitch filter, odd velocities, duration clamp,
 * time attributes, BOS/EOS framing.
 */
export function tokenizeTickNotes(
  notes: TickNotes,
  maxBar = TOKENIZER_MAX_BAR,
  counts: { outOfRange: number } = { outOfRange: 0 },
): TokenMatrix {
  const order = symusicOrder(notes);
  const data = new Int32Array((notes.count + 2) * TOKEN_WIDTH);
  data.fill(BOS, 0, TOKEN_WIDTH);
  let row = 1;
  let previousOnset = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const pitch = notes.pitch[i]!;
    if (pitch < PITCH_LOW || pitch > PITCH_HIGH) {
      counts.outOfRange++;
      continue;
    }
    const start = notes.start[i]!;
    // ticks are non-negative, so half-away-from-zero is Math.round; at 220 → 96 tpq exact halves cannot occur
    const onset = Math.round((start * TOKEN_TPQ) / PM_TICKS_PER_QUARTER);
    const duration = Math.min(
      MAX_DURATION,
      Math.max(1, Math.round(((notes.end[i]! - start) * TOKEN_TPQ) / PM_TICKS_PER_QUARTER)),
    );
    const bar = Math.floor(onset / TICKS_PER_BAR);
    if (bar > maxBar) throw barLimitFailure(onset, maxBar);
    const velocity = notes.velocity[i]!;
    const ioi = row === 1 ? 0 : Math.min(onset - previousOnset, MAX_IOI);
    previousOnset = onset;
    const at = row * TOKEN_WIDTH;
    data[at] = pitch - 17;
    data[at + 1] = 4 + ((velocity | 1) - 1) / 2; // odd velocities stay, even ones round up
    data[at + 2] = duration + 3;
    data[at + 3] = 388 + ioi;
    data[at + 4] = 4 + (onset % TICKS_PER_BAR);
    data[at + 5] = 4 + bar;
    row++;
  }
  data.fill(EOS, row * TOKEN_WIDTH, (row + 1) * TOKEN_WIDTH);
  const rows = row + 1;
  return { rows, data: rows * TOKEN_WIDTH === data.length ? data : data.slice(0, rows * TOKEN_WIDTH) };
}

function barLimitFailure(onsetTick: number, maxBar: number): StudioFailure {
  const seconds = (onsetTick * TOKEN_SECONDS_PER_TICK).toFixed(1);
  const limit = ((maxBar + 1) * TICKS_PER_BAR * TOKEN_SECONDS_PER_TICK).toFixed(0);
  return new StudioFailure(
    'bad-input',
    `a note starts at ${seconds} s of the token sequence but at most ${limit} s fit (bar limit ${maxBar}); tokenize shorter segments`,
  );
}

export interface TokenNote {
  pitch: number;
  velocity: number;
  onset: number; // seconds
  duration: number; // seconds
}

/** Tokens → notes (seconds from the start of the sequence), skipping BOS/EOS/PAD/MASK rows. */
export function detokenize(tokens: TokenMatrix): TokenNote[] {
  const notes: TokenNote[] = [];
  const d = tokens.data;
  for (let r = 0; r < tokens.rows; r++) {
    const at = r * TOKEN_WIDTH;
    let special = false;
    for (let c = 0; c < TOKEN_WIDTH; c++) if (d[at + c]! < 4) special = true;
    if (special) continue;
    const onsetTick = (d[at + 5]! - 4) * TICKS_PER_BAR + (d[at + 4]! - 4);
    notes.push({
      pitch: d[at]! + 17,
      velocity: (d[at + 1]! - 4) * 2 + 1,
      onset: onsetTick * TOKEN_SECONDS_PER_TICK,
      duration: (d[at + 2]! - 3) * TOKEN_SECONDS_PER_TICK,
    });
  }
  return notes;
}

/** Rows as nested arrays (for JSON output). */
export function tokenRows(tokens: TokenMatrix): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r < tokens.rows; r++)
    rows.push(Array.from(tokens.data.subarray(r * TOKEN_WIDTH, (r + 1) * TOKEN_WIDTH)));
  return rows;
}
