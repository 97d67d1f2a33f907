// A pack may arrive as a .zip of its folder. It is streamed through fflate into a temporary sibling of the
// destination and renamed into place only when complete; entry names that could escape the folder are refused.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Unzip, UnzipInflate } from 'fflate';
import { StudioFailure } from '../../shared/failure';
import { loadPackManifest, type LoadPackOptions } from './manifest';
import type { PackManifest } from './types';

/** The entry's path relative to the extraction folder, or null when it is absolute or climbs out of it. */
export function safeEntryPath(name: string): string | null {
  if (name.length === 0 || name.includes('\0') || name.includes('\\')) return null;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return null;
  const parts = name.split('/').filter((p) => p.length > 0 && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..')) return null;
  return parts.join(sep);
}

/**
 * Limits on what a pack zip may unpack to (a zip bomb would otherwise fill the disk). Real packs are
 * a few hundred MB in a dozen files; the limits leave room for much larger ones.
 */
export const PACK_ZIP_LIMITS = { maxTotalBytes: 16 * 1024 ** 3, maxEntries: 10_000 };

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel.length > 0 && !rel.startsWith('..') && !isAbsolute(rel);
}

async function unzipInto(zipPath: string, folder: string): Promise<void> {
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  const writes: Promise<void>[] = [];
  /** Each file entry, started (its folder made, its data flowing) and whether its last chunk came. */
  const started: Promise<void>[] = [];
  const unfinished = new Set<ReturnType<typeof createWriteStream>>();
  let refused: string | undefined;
  let tooLarge: StudioFailure | undefined;
  let abandoned = false;
  let entries = 0;
  let unpacked = 0;
  const limit = (why: string) =>
    (tooLarge ??= new StudioFailure('bad-input', `model pack ${zipPath}: the zip ${why}; it is not a model pack`));
  unzip.onfile = (file) => {
    if (++entries > PACK_ZIP_LIMITS.maxEntries) {
      limit(`has more than ${PACK_ZIP_LIMITS.maxEntries} entries`);
      return;
    }
    const rel = safeEntryPath(file.name);
    const target = rel === null ? '' : resolve(folder, rel);
    if (rel === null || !inside(folder, target)) {
      refused ??= file.name;
      return;
    }
    if (file.name.endsWith('/')) {
      writes.push(mkdir(target, { recursive: true }).then(() => undefined));
      return;
    }
    let markStarted = (): void => undefined;
    started.push(new Promise<void>((r) => (markStarted = r)));
    writes.push(
      mkdir(dirname(target), { recursive: true }).then(
        () =>
          new Promise<void>((done, failed) => {
            if (abandoned) {
              // The zip failed while this entry's folder was being made: nothing more will come for it.
              markStarted();
              done();
              return;
            }
            const out = createWriteStream(target);
            unfinished.add(out);
            out.on('error', failed);
            out.on('finish', done);
            out.on('close', done); // destroyed by abandon(): nothing more will come
            file.ondata = (error, chunk, final) => {
              if (error) {
                out.destroy();
                failed(error);
                return;
              }
              unpacked += chunk.length;
              if (unpacked > PACK_ZIP_LIMITS.maxTotalBytes) {
                out.destroy();
                failed(limit(`unpacks to more than ${PACK_ZIP_LIMITS.maxTotalBytes} bytes`));
                return;
              }
              out.write(chunk);
              if (final) {
                unfinished.delete(out);
                out.end();
              }
            };
            // start() inflates what the zip already holds for the entry and throws there on damaged data:
            // the entry counts as started either way (a start that never settles would hang the import).
            try {
              file.start();
            } finally {
              markStarted();
            }
          }),
        (error) => {
          markStarted();
          throw error;
        },
      ),
    );
  };
  // fflate throws plain Errors ("invalid zip data") for damaged input, and a truncated entry simply never
  // gets its last chunk: both are the user's file being bad (exit 3), never a hang or a runtime error.
  const abandon = async (error: unknown): Promise<never> => {
    abandoned = true;
    // Entries whose folder was still being made start (or give up) first, so that every open file is
    // closed below: one opened after the closing would wait forever for data the zip does not hold.
    await Promise.allSettled(started);
    for (const out of unfinished) out.destroy();
    await Promise.allSettled(writes);
    if (tooLarge !== undefined) throw tooLarge;
    if (error instanceof StudioFailure) throw error;
    throw new StudioFailure(
      'bad-input',
      `model pack ${zipPath}: the zip is damaged or incomplete (${(error as Error).message}); download or copy it again`,
    );
  };
  try {
    for await (const chunk of createReadStream(zipPath)) {
      unzip.push(chunk as Uint8Array);
      if (refused !== undefined || tooLarge !== undefined) break;
    }
  } catch (error) {
    return abandon(error);
  }
  if (tooLarge !== undefined) {
    await Promise.allSettled(writes);
    throw tooLarge;
  }
  if (refused !== undefined) {
    await Promise.allSettled(writes);
    throw new StudioFailure(
      'bad-input',
      `model pack ${zipPath}: entry '${refused}' would be written outside the pack folder; the zip is unsafe`,
    );
  }
  try {
    unzip.push(new Uint8Array(0), true);
  } catch (error) {
    return abandon(error);
  }
  // Every entry has started by now and had all the data the zip holds for it.
  await Promise.allSettled(started);
  if (unfinished.size > 0) return abandon(new Error('a file inside ends early'));
  try {
    await Promise.all(writes);
  } catch (error) {
    return abandon(error);
  }
}

/** The folder holding pack.json: the extraction root or its single top-level folder. */
async function findPackRoot(folder: string): Promise<string | undefined> {
  const has = async (dir: string) => (await stat(join(dir, 'pack.json')).catch(() => undefined))?.isFile() === true;
  if (await has(folder)) return folder;
  const entries = await readdir(folder, { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory());
  if (dirs.length === 1 && entries.length === 1 && (await has(join(folder, dirs[0]!.name))))
    return join(folder, dirs[0]!.name);
  return undefined;
}

/**
 * Extract `zipPath` to the new folder `destDir` (which must not exist) and return the folder that holds
 * pack.json. Nothing is left at `destDir` when extraction fails.
 */
export async function extractPackZip(zipPath: string, destDir: string): Promise<string> {
  const dest = resolve(destDir);
  if (await stat(dest).catch(() => undefined)) {
    throw new StudioFailure('invalid-argument', `cannot extract the pack to ${dest}: it already exists`);
  }
  if (!(await stat(zipPath).catch(() => undefined))?.isFile()) {
    throw new StudioFailure('not-found', `model pack ${zipPath} does not exist`);
  }
  const partial = `${dest}.partial-${process.pid}-${Date.now()}`;
  await mkdir(partial, { recursive: true });
  try {
    await unzipInto(zipPath, partial);
    const root = await findPackRoot(partial);
    if (root === undefined)
      throw new StudioFailure('bad-input', `model pack ${zipPath}: no pack.json inside the zip; is this a model pack?`);
    await rename(partial, dest);
    return join(dest, relative(partial, root));
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Open a pack given as a folder or as a .zip (extracted to `extractTo`, a folder that must not exist yet). */
export async function openPack(
  path: string,
  options: LoadPackOptions & { extractTo?: string } = {},
): Promise<PackManifest> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new StudioFailure('not-found', `model pack ${path} does not exist`);
  if (info.isDirectory()) return loadPackManifest(path, options);
  if (!path.toLowerCase().endsWith('.zip')) {
    throw new StudioFailure('bad-input', `model pack ${path}: expected a folder with pack.json or a .zip of one`);
  }
  if (options.extractTo === undefined)
    throw new StudioFailure('invalid-argument', 'a zipped pack needs a folder to extract to');
  return loadPackManifest(await extractPackZip(path, options.extractTo), options);
}
