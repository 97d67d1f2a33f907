// Disk full and read-only library folders surface as raw ENOSPC/EROFS errors from node:fs and as
// SQLITE_FULL/SQLITE_READONLY from SQLite; this turns them into one clear StudioFailure line that
// names the folder and what to do. Anything else passes through unchanged.
import { StudioFailure } from '../shared/failure';

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

export function storageFailure(error: unknown, home: string): unknown {
  if (error instanceof StudioFailure || !(error instanceof Error)) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  if (FULL.has(code)) {
    return new StudioFailure(
      'unavailable',
      `the library folder ${home} is full (no space left on its disk); free some space and try again`,
    );
  }
  if (NOT_WRITABLE.has(code) || code.startsWith('SQLITE_READONLY')) {
    return new StudioFailure(
      'unavailable',
      `the library folder ${home} cannot be written (read-only disk or no permission); make it writable or choose another library folder`,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    return new StudioFailure(
      'unavailable',
      `the library database in ${home} cannot be opened or written (${error.message.split('\n')[0]}); check that the folder is writable and has free space`,
    );
  }
  return error;
}
