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

/**
 * Segment numbers as people count them: 1 is the first segment, as the studio shows them. Accepts
 * "3", "1,4" and ranges "2-5"; returns 0-based indices (the contract's `segmentIndex`), sorted.
 */
export function parseSegmentNumbers(text: string, option: string): number[] {
  const indices = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const first = match ? Number(match[1]) : NaN;
    const last = match?.[2] !== undefined ? Number(match[2]) : first;
    if (!match || first < 1 || last < first || last > 100_000)
      throw new CliError(
        EXIT.usage,
        `${option} takes segment numbers counted from 1, like 3, 1,4 or 2-5 (got "${text}")`,
      );
    for (let n = first; n <= last; n++) indices.add(n - 1);
  }
  return [...indices].sort((a, b) => a - b);
}
