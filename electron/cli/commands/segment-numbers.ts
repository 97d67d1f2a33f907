// Segments are numbered from 1 for people (the studio's chips, the CLI's text and options); the
// library and JSON keep the 0-based index, with the 1-based number beside it.
import { CliError, EXIT } from '../exit-codes';

/** `--segment 1` is the first segment: returns its 0-based index. */
export function segmentNumberOption(value: string | undefined, name = '--segment'): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(EXIT.usage, `${name} is a segment number, 1 for the first (got "${value}")`);
  return n - 1;
}

export const withSegmentNumber = <T extends { segmentIndex: number }>(take: T): T & { segmentNumber: number } => ({
  ...take,
  segmentNumber: take.segmentIndex + 1,
});
