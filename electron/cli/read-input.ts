import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { toFileData } from '../services/file-data';
import type { FileData } from '../contract/methods/common';
import { CliError, EXIT } from './exit-codes';

/** A file named on the command line, read for a contract call; a missing file is bad input (exit 3). */
export function readInputFile(path: string, what: string): FileData {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CliError(EXIT.badInput, `${what} ${path} does not exist or cannot be read`);
  }
  if (size === 0) throw new CliError(EXIT.badInput, `${what} ${path} is empty`);
  return toFileData(basename(path), readFileSync(path));
}

/** Parses a number option, or fails with a usage error naming it. */
export function numberOption(
  value: string | undefined,
  name: string,
  check: (n: number) => boolean = Number.isFinite,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!check(n)) throw new CliError(EXIT.usage, `${name} got "${value}", which is out of range`);
  return n;
}
