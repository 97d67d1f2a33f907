import { StudioFailure } from '../../contract/result';
import { openLibrary, type Library } from '../../library';
import type { CliContext } from '../context';
import { CliError, exitCodeFor } from '../exit-codes';

/** Opens the library of --home for one command and always closes it; library failures keep their exit code. */
export async function withLibrary<T>(cli: CliContext, fn: (lib: Library) => T | Promise<T>): Promise<T> {
  let lib: Library | undefined;
  try {
    lib = openLibrary(cli.home);
    return await fn(lib);
  } catch (error) {
    if (error instanceof StudioFailure) throw new CliError(exitCodeFor(error.code), error.message);
    throw error;
  } finally {
    lib?.close();
  }
}

/** Parses a non-negative integer option, or fails with a usage error naming it. */
export function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(2, `${name} must be a whole number, got "${value}"`);
  return n;
}

export const shortId = (id: string): string => id.slice(0, 8);
