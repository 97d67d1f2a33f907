import { CliError, EXIT } from '../exit-codes';

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
