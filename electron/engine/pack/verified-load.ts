// The engine host loads a pack only after its graphs pass their sha256 check, so a graph replaced after
// import never renders with tampered weights. Hashing a 1–2 GB pack takes 1–2.5 s on the build machine, so a
// pack verified once is trusted again only while every graph file is the very same file: same path, inode,
// size and change time (ctime cannot be set back by a writer, unlike mtime; replacing or rewriting a file
// always changes it).
//
// Trust is kept in this process and, when the caller names a cache folder, in a record there, so that a
// new engine process (each app launch) starts without re-hashing an unchanged pack: start-up measured in
// docs/benchmarks.md. The record lives in the user's library folder, never in the pack (built-in packs are
// read-only), and a record that is missing, unreadable or of another shape is simply ignored.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../shared/atomic-write';
import { loadPackManifest } from './manifest';
import type { PackManifest } from './types';

export const VERIFIED_RECORD_FILE = 'verified-packs.json';

async function fingerprint(manifest: PackManifest): Promise<string> {
  const parts: string[] = [];
  for (const path of Object.values(manifest.graphPaths)) {
    const info = await stat(path, { bigint: true });
    parts.push(`${path}:${info.dev}:${info.ino}:${info.size}:${info.ctimeNs}:${info.mtimeNs}`);
  }
  return parts.join('|');
}

/** Pack folder → fingerprint of the graph files that passed their check. */
type TrustRecord = Record<string, string>;

async function readRecord(file: string): Promise<TrustRecord> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return {};
    return Object.fromEntries(Object.entries(json).filter((entry) => typeof entry[1] === 'string')) as TrustRecord;
  } catch {
    return {};
  }
}

/** Best effort: a record that cannot be written only means the next process hashes again. */
async function remember(cacheDir: string, dir: string, print: string): Promise<void> {
  try {
    const file = join(cacheDir, VERIFIED_RECORD_FILE);
    const record = await readRecord(file);
    record[dir] = print;
    await writeFileAtomic(file, JSON.stringify(record, null, 1));
  } catch {
    // e.g. a read-only home: trust stays in this process only
  }
}

/**
 * A loader that verifies checksums on first load and whenever a graph file changed since. `cacheDir`, when
 * given, is where trust is recorded between processes.
 */
export function verifiedPackLoader(): (dir: string, cacheDir?: string) => Promise<PackManifest> {
  const verified = new Map<string, string>();
  return async (dir, cacheDir) => {
    const quick = await loadPackManifest(dir, { verifyChecksums: false });
    const print = await fingerprint(quick);
    if (verified.get(quick.dir) === print) return quick;
    if (cacheDir && (await readRecord(join(cacheDir, VERIFIED_RECORD_FILE)))[quick.dir] === print) {
      verified.set(quick.dir, print);
      return quick;
    }
    verified.delete(quick.dir);
    const full = await loadPackManifest(dir, { verifyChecksums: true });
    // The files hashed are the files fingerprinted before: a swap during hashing is caught next load.
    if ((await fingerprint(full)) === print) {
      verified.set(full.dir, print);
      if (cacheDir) await remember(cacheDir, full.dir, print);
    }
    return full;
  };
}
