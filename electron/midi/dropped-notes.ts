// What the official tokenization leaves out, counted with its reason (midi-valle-data.md §1.3): notes
// outside the 88 keys are deleted (step 3), and the MIDI write/read round trip (pretty_midi writes the
// notes at 220 ticks per quarter, symusic reads them back, step 1) loses notes that round to zero
// length: their note-off is not after their note-on, symusic ignores it, the notes of that pitch pair up
// one later, and the last of them is never closed. The studio reproduces this exactly (the tokens
// must match the official ones byte for byte), so it reports it instead of hiding it.
import { PM_SECONDS_PER_TICK, pmTick, type SecondsNote } from './official-io';

export interface DroppedNotes {
  /** Notes given to the tokenizer. */
  notes: number;
  /** Note rows in the tokens (BOS and EOS not counted). */
  rows: number;
  /** notes − rows, and why. */
  dropped: number;
  reasons: Array<{ count: number; reason: string }>;
}

const ms = (seconds: number): string => `${(seconds * 1000).toFixed(1)} ms`;

/**
 * Accounts for the notes a tokenization left out. `outOfRange` is what the pitch filter removed (from
 * tokenizeTickNotes); everything else was lost in the official MIDI round trip.
 */
export function droppedNotes(notes: readonly SecondsNote[], rows: number, outOfRange: number): DroppedNotes {
  const dropped = notes.length - rows;
  const reasons: DroppedNotes['reasons'] = [];
  if (outOfRange > 0) reasons.push({ count: outOfRange, reason: 'pitch outside the piano range 21–108 (A0–C8)' });
  const roundTrip = dropped - outOfRange;
  if (roundTrip > 0) {
    let zeroLength = 0;
    for (const n of notes) if (pmTick(n.offset) <= pmTick(n.onset)) zeroLength++;
    reasons.push({
      count: roundTrip,
      reason:
        `lost in the official MIDI round trip (${zeroLength} note(s) shorter than one tick, ${ms(PM_SECONDS_PER_TICK)}, ` +
        'round to zero length; a note-off not after its note-on is ignored, so the notes of that pitch pair up ' +
        'one later and the last is never closed; the official preprocessing drops the same notes)',
    });
  }
  return { notes: notes.length, rows, dropped, reasons };
}
