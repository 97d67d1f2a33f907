import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
} from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { writeFileAtomicSync } from '../shared/atomic-write';
import { StudioFailure } from '../shared/failure';

const HASH_RE = /^[0-9a-f]{64}$/;

export const isBlobHash = (value: string): boolean => HASH_RE.test(value);

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * mkdir -p that reports the real reason: on a read-only file system Node's recursive mkdir answers
 * ENOENT, which would read as a bug rather than as "this disk cannot be written".
 */
function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync(dirname(dir))) throw error;
    mkdirSync(dir); // the parent exists: this throws the errno that matters (EROFS, EACCES)
  }
}

/**
 * Content-addressed files: `<root>/ab/cdef…` named by the sha256 of their bytes. A blob is either
 * absent or complete: bytes go to `<root>/tmp/` first, are fsynced, then renamed into place.
 */
export class BlobStore {
  readonly root: string;
  readonly tmpDir: string;

  constructor(root: string) {
    this.root = root;
    this.tmpDir = join(root, 'tmp');
    mkdirSync(this.tmpDir, { recursive: true });
  }

  path(hash: string): string {
    if (!isBlobHash(hash)) throw new StudioFailure('invalid-argument', `not a blob hash: ${JSON.stringify(hash)}`);
    return join(this.root, hash.slice(0, 2), hash.slice(2));
  }

  has(hash: string): boolean {
    return existsSync(this.path(hash));
  }

  /** Stores bytes and returns their hash. Re-putting existing bytes refreshes the file time, so a
   *  garbage collection running meanwhile keeps it for another grace period; an existing file whose
   *  bytes are damaged is replaced. */
  put(bytes: Uint8Array): string {
    const hash = sha256Hex(bytes);
    const final = this.path(hash);
    if (existsSync(final) && statSync(final).size === bytes.byteLength && sha256Hex(readFileSync(final)) === hash) {
      const now = new Date();
      utimesSync(final, now, now);
      return hash;
    }
    makeFolder(dirname(final));
    writeFileAtomicSync(final, bytes, { tempDir: this.tmpDir });
    return hash;
  }

  /**
   * The file of a blob for serving to a view, only when it is a regular file that really lies in this
   * store: a symlink (to a system file, say) or a folder planted at a blob's path is never served.
   */
  servablePath(hash: string): string | undefined {
    if (!isBlobHash(hash)) return undefined;
    const path = this.path(hash);
    try {
      if (!lstatSync(path).isFile()) return undefined;
      const root = realpathSync(this.root);
      return realpathSync(path).startsWith(root + sep) ? path : undefined;
    } catch {
      return undefined;
    }
  }

  get(hash: string): Uint8Array {
    const path = this.path(hash);
    if (!existsSync(path))
      throw new StudioFailure('not-found', `blob ${hash} is missing from the library; run "midi-valle library check"`);
    return readFileSync(path);
  }

  remove(hash: string): void {
    const path = this.path(hash);
    if (existsSync(path)) unlinkSync(path);
  }

  /** Every file under the store: blobs by hash, temp files, and anything else that should not be there. */
  scan(): {
    blobs: Array<{ hash: string; path: string; mtimeMs: number; size: number }>;
    temps: Array<{ path: string; mtimeMs: number }>;
    strays: string[];
  } {
    const blobs: Array<{ hash: string; path: string; mtimeMs: number; size: number }> = [];
    const temps: Array<{ path: string; mtimeMs: number }> = [];
    const strays: string[] = [];
    for (const entry of readdirSync(this.root, { withFileTypes: true })) {
      const full = join(this.root, entry.name);
      if (entry.name === 'tmp' && entry.isDirectory()) {
        for (const t of readdirSync(full)) {
          const p = join(full, t);
          try {
            temps.push({ path: p, mtimeMs: statSync(p).mtimeMs });
          } catch {
            // finished and renamed while we listed
          }
        }
        continue;
      }
      if (entry.name === 'quarantine' && entry.isDirectory()) continue;
      if (!entry.isDirectory() || !/^[0-9a-f]{2}$/.test(entry.name)) {
        strays.push(full);
        continue;
      }
      for (const name of readdirSync(full)) {
        const p = join(full, name);
        const hash = entry.name + name;
        if (!isBlobHash(hash)) {
          strays.push(p);
          continue;
        }
        try {
          const st = statSync(p);
          blobs.push({ hash, path: p, mtimeMs: st.mtimeMs, size: st.size });
        } catch {
          // removed while we listed
        }
      }
    }
    return { blobs, temps, strays };
  }

  /** Moves a damaged blob aside (kept for forensics, no longer served). */
  quarantine(hash: string): void {
    const dir = join(this.root, 'quarantine');
    mkdirSync(dir, { recursive: true });
    const path = this.path(hash);
    if (existsSync(path)) renameSync(path, join(dir, `${hash}-${Date.now()}`));
  }
}
