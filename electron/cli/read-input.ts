import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { toFileData } from '../services/file-data';
import { FILE_DATA_MAX_BYTES, type FileData } from '../contract/methods/common';
import { StudioFailure } from '../contract/result';
import { readInputFile as readBoundedFile } from '../shared/bounded-read';
import { CliError, EXIT } from './exit-codes';

/**
 * A file named on the command line, read for a contract call. It is checked before it is read: a regular
 * file (not a FIFO, device or folder) within the contract's file limit, else bad input (exit 3).
 */
export function readInputFile(path: string, what: string): FileData {
  try {
    return toFileData(basename(path), readBoundedFile(path, what, FILE_DATA_MAX_BYTES));
  } catch (error) {
    if (error instanceof StudioFailure) throw new CliError(EXIT.badInput, error.message);
    throw error;
  }
}

/** An output file's folder must exist already: a mistyped --out never creates folders (exit 3). */
export function checkOutputFolder(path: string, option: string): void {
  const folder = dirname(resolve(path));
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // missing: reported below
  }
  if (!isFolder) throw new CliError(EXIT.badInput, `${option}: the folder ${folder} does not exist; create it first`);
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
