// Reading a file a user named, bounded before the first byte is read: only a regular file (a FIFO would
// hang, /dev/zero never ends, a folder is no file), and no bigger than what the reader can use. The size
// is checked on the file itself, not after reading or base64-encoding it.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { StudioFailure } from './failure';

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

/** Checks `path` and returns its size; every refusal is one bad-input (exit 3) or not-found line. */
export function checkInputFile(path: string, what: string, maxBytes: number): number {
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new StudioFailure('not-found', `${what} ${path} does not exist`);
    throw new StudioFailure('bad-input', `${what} ${path} cannot be read (${code ?? String(error)})`);
  }
  if (info.isDirectory()) throw new StudioFailure('bad-input', `${what} ${path} is a folder; name a file`);
  if (!info.isFile())
    throw new StudioFailure(
      'bad-input',
      `${what} ${path} is not a regular file (a pipe, socket or device); save it to a file first`,
    );
  if (info.size === 0) throw new StudioFailure('bad-input', `${what} ${path} is empty`);
  if (info.size > maxBytes)
    throw new StudioFailure(
      'bad-input',
      `${what} ${path} is ${mb(info.size)}, more than the ${mb(maxBytes)} the studio takes; use a shorter file`,
    );
  return info.size;
}

/** The bytes of a checked file, read through one descriptor that must still be the regular file checked. */
export function readInputFile(path: string, what: string, maxBytes: number): Uint8Array {
  checkInputFile(path, what, maxBytes);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new StudioFailure('bad-input', `${what} ${path} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  try {
    const info = fstatSync(fd);
    // Swapped for something else between the check and the open: check again, on what is open.
    if (!info.isFile() || info.size > maxBytes) checkInputFile(path, what, maxBytes);
    const bytes = Buffer.allocUnsafe(Math.min(info.size, maxBytes));
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, filled);
  } finally {
    closeSync(fd);
  }
}
