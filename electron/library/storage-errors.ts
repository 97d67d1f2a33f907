// Disk full and read-only library folders surface as raw ENOSPC/EROFS errors from node:fs and as
// SQLITE_FULL/SQLITE_READONLY from SQLite; this turns them into one clear StudioFailure line that
// names the folder and what to do. Anything else passes through unchanged.
import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { StudioFailure } from '../shared/failure';

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

/** `folder` names where the write went: the library folder unless told (an export folder, say). */
export function storageFailure(error: unknown, home: string, folder = `the library folder ${home}`): unknown {
  if (error instanceof StudioFailure || !(error instanceof Error)) return error;
  let code = String((error as { code?: unknown }).code ?? '');
  const { syscall, path } = error as { syscall?: string; path?: string };
  if (code === 'ENOENT' && syscall === 'mkdir' && path) {
    // Node's recursive mkdir answers ENOENT on a read-only file system: ask the parent why.
    try {
      accessSync(dirname(path), constants.W_OK);
    } catch (probe) {
      code = String((probe as { code?: unknown }).code ?? code);
    }
  }
  if (FULL.has(code)) {
    return new StudioFailure(
      'unavailable',
      `${folder} is full (no space left on its disk); free some space and try again`,
    );
  }
  if (NOT_WRITABLE.has(code) || code.startsWith('SQLITE_READONLY')) {
    return new StudioFailure(
      'unavailable',
      `${folder} cannot be written (read-only disk or no permission); make it writable or choose another folder`,
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
