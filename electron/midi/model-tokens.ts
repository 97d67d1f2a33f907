// The MIDI token sequence the model reads at inference: the 3 s prompt MIDI followed by the target
// segment, as data_prepare.py concat_midi_files + midi_tokenize.py produce it (midi-valle-data.md §3.2):
// both files are read by pretty_midi, the target is shifted by the prompt's end time, the union is
// written by pretty_midi and tokenized. Only 20 Bar embeddings exist in the model, so every onset must be
// < 32 s (Bar id ≤ 19); longer sequences are refused here rather than becoming out-of-range indices.
import { StudioFailure } from '../shared/failure';
import type { Performance } from '../shared/performance';
import {
  PM_SECONDS_PER_TICK,
  concatTickNotes,
  pmWriteEvents,
  prettyMidiRead,
  roundHalfEven,
  secondsToPmTicks,
  symusicRead,
  type SecondsNote,
  type TickNotes,
} from './official-io';
import { droppedNotes, type DroppedNotes } from './dropped-notes';
import { tokenizeTickNotes, type TokenMatrix } from './tokenizer';

/** Bar embeddings of the released model: ids 0…19, i.e. bars 0…15 (ids 4…19). */
export const MODEL_BAR_VOCAB = 20;
export const MODEL_MAX_BAR = MODEL_BAR_VOCAB - 1 - 4;
/** Onsets must lie before this many seconds from the start of the token sequence. */
export const MODEL_MAX_ONSET_SECONDS = ((MODEL_MAX_BAR + 1) * 384) / 192;

export interface ModelTokenOptions {
  /**
   * Where the target starts, in seconds after the prompt's start. Default: the prompt MIDI's end time,
   * as the official inference does (its prompts end 23 and 89 ms before their 3.000 s audio). Pass the
   * prompt audio's length to align the target with the end of the prompt audio instead.
   */
  targetOffset?: number;
}

/** What the model reads for one target: BOS, prompt rows, target rows, EOS. */
export function buildModelTokens(
  prompt: Performance | readonly SecondsNote[],
  target: readonly SecondsNote[],
  options: ModelTokenOptions = {},
): TokenMatrix {
  return buildModelTokensCounted(prompt, target, options).tokens;
}

/** buildModelTokens, with the prompt and target notes it left out counted and explained. */
export function buildModelTokensCounted(
  prompt: Performance | readonly SecondsNote[],
  target: readonly SecondsNote[],
  options: ModelTokenOptions = {},
): { tokens: TokenMatrix; report: DroppedNotes } {
  const promptNotes: readonly SecondsNote[] = isPerformance(prompt) ? prompt.notes : prompt;
  const promptEnd = isPerformance(prompt)
    ? prompt.duration
    : promptNotes.reduce((end, n) => Math.max(end, n.offset), 0);
  const offset = options.targetOffset ?? promptEnd;
  if (!(offset >= 0) || !Number.isFinite(offset)) {
    throw new StudioFailure('invalid-argument', `target offset must be a time in seconds ≥ 0 (got ${offset})`);
  }
  for (const n of [...promptNotes, ...target]) {
    if (!(n.onset >= 0) || !(n.offset >= n.onset)) {
      throw new StudioFailure(
        'invalid-argument',
        `note at ${n.onset} s has an invalid time; notes must start at or after 0 and end after they start`,
      );
    }
  }
  // Each file goes through a pretty_midi write and read before the concatenation.
  const promptTicks = prettyMidiRead(pmWriteEvents(secondsToPmTicks(promptNotes)));
  const targetTicks = shiftTicks(prettyMidiRead(pmWriteEvents(secondsToPmTicks(target))), offset);
  const combined = concatTickNotes([promptTicks, targetTicks]);
  try {
    const counts = { outOfRange: 0 };
    const tokens = tokenizeTickNotes(symusicRead(pmWriteEvents(combined)), MODEL_MAX_BAR, counts);
    return { tokens, report: droppedNotes([...promptNotes, ...target], tokens.rows - 2, counts.outOfRange) };
  } catch (error) {
    if (error instanceof StudioFailure && error.code === 'bad-input') {
      throw new StudioFailure('bad-input', `prompt plus target: ${error.message}`);
    }
    throw error;
  }
}

/** pretty_midi's shift: tick k is read as k·scale seconds, the offset is added, the sum re-rounded to ticks. */
function shiftTicks(notes: TickNotes, offsetSeconds: number): TickNotes {
  for (let i = 0; i < notes.count; i++) {
    notes.start[i] = roundHalfEven((offsetSeconds + notes.start[i]! * PM_SECONDS_PER_TICK) / PM_SECONDS_PER_TICK);
    notes.end[i] = roundHalfEven((offsetSeconds + notes.end[i]! * PM_SECONDS_PER_TICK) / PM_SECONDS_PER_TICK);
  }
  return notes;
}

function isPerformance(value: Performance | readonly SecondsNote[]): value is Performance {
  return !Array.isArray(value);
}
