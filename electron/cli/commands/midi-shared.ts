// Helpers shared by the MIDI commands (inspect, tokenize).
import { Option } from 'commander';
import { StudioFailure } from '../../contract/result';
import { PEDAL_MODES, SEGMENTER_MODES } from '../../midi';
import { CliError, EXIT, exitCodeFor } from '../exit-codes';

export const segmenterOption = () =>
  new Option('--segmenter <mode>', 'how to cut the piece into 15–20 s segments').choices(SEGMENTER_MODES).default('musical');

export const pedalOption = () =>
  new Option('--pedal <mode>', 'ignore the sustain pedal (official) or fold it into note lengths').choices(PEDAL_MODES).default('ignore');

/** Runs domain code, turning a StudioFailure into the CLI's error line and exit code. */
export async function asCli<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StudioFailure) throw new CliError(exitCodeFor(error.code), error.message);
    throw error;
  }
}

export function parseIndex(value: string, what: string): number {
  if (!/^\d+$/.test(value)) throw new CliError(EXIT.usage, `${what} must be a whole number ≥ 0 (got ${JSON.stringify(value)})`);
  return Number(value);
}

export function parseSeconds(value: string, what: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new CliError(EXIT.usage, `${what} must be a time in seconds ≥ 0 (got ${JSON.stringify(value)})`);
  }
  return seconds;
}

export const round3 = (x: number) => Math.round(x * 1000) / 1000;
