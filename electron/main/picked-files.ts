// The files an OS dialog returned, read into the contract's FileData: the same bytes a file input
// hands the browser host, so every import path after this point is shared.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { StudioFailure } from '../contract';
import { FILE_DATA_MAX_BYTES, type FileData } from '../contract/methods/common';
import { toFileData } from '../services/file-data';

const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** One line naming the file and why it cannot be read; the OS error's own text only as a last resort. */
function unreadable(path: string, error: unknown): StudioFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOENT'
        ? 'it no longer exists'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'ELOOP'
            ? 'its links point round in a circle'
            : (String((error as Error | undefined)?.message ?? error).split('\n')[0] ?? 'unknown error');
  return new StudioFailure('bad-input', `cannot read ${basename(path)}: ${why}`);
}

async function sizeOf(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    return info.size;
  } catch (error) {
    throw unreadable(path, error);
  }
}

/**
 * Reads every chosen file or none. The whole selection must fit FileData's limit, since it crosses
 * the bridge in one answer; sizes are checked before any byte is read, so an over-size pick fails at once.
 */
export async function readPickedFiles(paths: string[], maxBytes = FILE_DATA_MAX_BYTES): Promise<FileData[]> {
  let total = 0;
  for (const path of paths) {
    const size = await sizeOf(path);
    if (size === 0) throw new StudioFailure('bad-input', `${basename(path)} is empty; pick another file`);
    if (size > maxBytes)
      throw new StudioFailure(
        'bad-input',
        `${basename(path)} is ${megabytes(size)}; files up to ${megabytes(maxBytes)} can be opened`,
      );
    total += size;
  }
  if (total > maxBytes)
    throw new StudioFailure(
      'bad-input',
      `the ${paths.length} files chosen come to ${megabytes(total)}; pick at most ${megabytes(maxBytes)} at a time`,
    );
  const files: FileData[] = [];
  for (const path of paths) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw unreadable(path, error);
    }
    // A file still being written may have grown since its size was checked.
    if (bytes.byteLength > maxBytes)
      throw new StudioFailure('bad-input', `${basename(path)} grew past ${megabytes(maxBytes)} while being read`);
    files.push(toFileData(basename(path), bytes));
  }
  return files;
}
