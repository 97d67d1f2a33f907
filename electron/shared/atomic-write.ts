// The one way this project puts a file in place: bytes go to a temporary file (beside the target, or in
// a folder the caller names on the same filesystem), are fsynced, then renamed over the target, and the
// folder is fsynced so the rename survives power loss. Readers see the old file or the whole new one,
// never a part; a failure removes the temporary file and leaves the target as it was.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Where the temporary file goes (default: the target's folder); must be on the target's filesystem. */
  tempDir?: string;
}

const tempPath = (path: string, options: AtomicWriteOptions): string =>
  join(options.tempDir ?? dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);

/** fsync a folder so a rename inside it survives power loss (a no-op where the OS refuses it). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open folders for fsync; NTFS metadata journaling covers the rename there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created, or already gone
  }
}

export function writeFileAtomicSync(path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): void {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempPath(path, options);
  const fd = openSync(temp, 'wx');
  try {
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    removeQuietly(temp);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
  fsyncDir(dirname(path));
}

/** The same, without blocking the thread: for exports of hundreds of megabytes. */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPath(path, options);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  fsyncDir(dirname(path));
}

/**
 * Several files as one: each is written and fsynced under a temporary name first, and only when all
 * are complete are they renamed into place. A failure (or `check` throwing, e.g. on cancel) before the
 * renames leaves none of them behind.
 */
export async function writeFilesAtomic(
  entries: ReadonlyArray<{ path: string; bytes: Uint8Array }>,
  check: () => void = () => undefined,
): Promise<void> {
  const temps: string[] = [];
  try {
    for (const entry of entries) {
      await mkdir(dirname(entry.path), { recursive: true });
      const temp = tempPath(entry.path, {});
      temps.push(temp);
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(entry.bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      check();
    }
    for (const [i, entry] of entries.entries()) await rename(temps[i]!, entry.path);
  } catch (error) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw error;
  }
  for (const dir of new Set(entries.map((e) => dirname(e.path)))) fsyncDir(dir);
}
