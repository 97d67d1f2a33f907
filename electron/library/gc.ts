import { statSync, unlinkSync } from 'node:fs';
import type { Library } from './library';
import { referencedHashes } from './references';
import { emptyTrash } from './trash';

/** Blobs and temp files younger than this are never collected: a writer may not have committed yet. */
export const DEFAULT_GRACE_MS = 60 * 60 * 1000;

export interface GcReport {
  removedBlobs: number;
  freedBytes: number;
  removedTemps: number;
  keptYoung: number; // unreferenced but inside the grace period
  /** Trash entries removed for good (gc empties the trash first unless asked to keep it). */
  trashEmptied: number;
  dryRun: boolean;
}

/**
 * Empties the trash (unless `keepTrash`), then removes blobs that no row references and that are older than the grace period, and temp files
 * left by killed writers. The reference set is read after listing the files, so a blob put and
 * committed during the scan is either young (kept) or referenced (kept).
 */
export function collectGarbage(
  lib: Library,
  options: { graceMs?: number; dryRun?: boolean; now?: number; keepTrash?: boolean } = {},
): GcReport {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const now = options.now ?? Date.now();
  const inTrash = options.keepTrash ? 0 : (lib.db.prepare('SELECT count(*) FROM trash').pluck().get() as number);
  const trashEmptied = options.dryRun || options.keepTrash ? inTrash : emptyTrash(lib).removed;
  const { blobs, temps } = lib.blobs.scan();
  // a dry run counts what emptying the trash would free as well
  const referenced = referencedHashes(lib, { withoutTrash: Boolean(options.dryRun && !options.keepTrash) });
  const report: GcReport = {
    removedBlobs: 0,
    freedBytes: 0,
    removedTemps: 0,
    keptYoung: 0,
    trashEmptied,
    dryRun: Boolean(options.dryRun),
  };
  for (const blob of blobs) {
    if (referenced.has(blob.hash)) continue;
    if (now - blob.mtimeMs < graceMs) {
      report.keptYoung++;
      continue;
    }
    if (!options.dryRun) {
      try {
        // a concurrent put of the same bytes refreshes the file time: look again right before deleting
        if (Date.now() - statSync(blob.path).mtimeMs < graceMs) {
          report.keptYoung++;
          continue;
        }
        unlinkSync(blob.path);
      } catch {
        continue; // already gone
      }
    }
    report.removedBlobs++;
    report.freedBytes += blob.size;
  }
  for (const temp of temps) {
    if (now - temp.mtimeMs < graceMs) continue;
    if (!options.dryRun) {
      try {
        unlinkSync(temp.path);
      } catch {
        continue;
      }
    }
    report.removedTemps++;
  }
  return report;
}
