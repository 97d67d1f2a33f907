import { readFileSync, unlinkSync } from 'node:fs';
import type { Library } from './library';
import { sha256Hex } from './blobs';
import { DEFAULT_GRACE_MS } from './gc';
import { blobReferences, type BlobReference } from './references';

export type ProblemKind =
  | 'database-corrupt' // SQLite's own integrity check failed
  | 'dangling-reference' // a row points at a row that does not exist
  | 'missing-blob' // a row names a blob that is not on disk
  | 'hash-mismatch' // a blob's bytes do not match its name
  | 'take-without-audio' // a take whose audio blob is missing or damaged
  | 'job-progress' // a job says a segment is done but its take is gone
  | 'orphan-temp' // a temp file left by a killed writer
  | 'stray-file'; // a file in the blob store that is not a blob

export interface Problem {
  kind: ProblemKind;
  detail: string;
  /** True when `--repair` fixes it without losing anything that is still usable. */
  repairable: boolean;
  repaired?: boolean;
}

export interface CheckReport {
  ok: boolean;
  problems: Problem[];
  checkedBlobs: number;
}

export interface CheckOptions {
  repair?: boolean;
  /** Hash every blob (default true); false only checks presence. */
  verifyHashes?: boolean;
  /** Temp files younger than this may belong to a writer at work; they are not reported. */
  graceMs?: number;
}

/**
 * Checks the database and the blob store against each other. With `repair`, only what is safe:
 * damaged blobs are quarantined, takes without audio are deleted (their job segment goes back to
 * pending so the job re-renders it), stale job progress is reset, old temp files are removed.
 * Performers or pieces with missing blobs are reported, never deleted.
 */
export function checkLibrary(lib: Library, options: CheckOptions = {}): CheckReport {
  const repair = Boolean(options.repair);
  const verify = options.verifyHashes ?? true;
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const problems: Problem[] = [];

  const quick = lib.db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>;
  for (const row of quick) {
    if (row.quick_check !== 'ok')
      problems.push({ kind: 'database-corrupt', detail: row.quick_check, repairable: false });
  }
  const fk = lib.db.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>;
  for (const row of fk) {
    problems.push({
      kind: 'dangling-reference',
      detail: `${row.table} row ${row.rowid} points at a missing ${row.parent}`,
      repairable: false,
    });
  }

  // Rows first, in one read transaction (a consistent snapshot), then the files. A writer stores a blob
  // before the row naming it commits, so every row of the snapshot has its blob on disk by the time the
  // files are listed. The other order lets a render commit takes between the two reads, and their
  // blobs look missing: repair then deleted good takes (issue 14, finding 6).
  const refs = lib.db.transaction(() => blobReferences(lib)).deferred();
  const { blobs, temps, strays } = lib.blobs.scan();
  const present = new Map(blobs.map((b) => [b.hash, b]));
  const damaged = new Set<string>();
  if (verify) {
    for (const blob of blobs) {
      let actual: string;
      try {
        actual = sha256Hex(readFileSync(blob.path));
      } catch {
        continue; // collected meanwhile
      }
      if (actual !== blob.hash) {
        damaged.add(blob.hash);
        const problem: Problem = {
          kind: 'hash-mismatch',
          detail: `blob ${blob.hash} holds bytes hashing to ${actual}`,
          repairable: true,
        };
        if (repair) {
          lib.blobs.quarantine(blob.hash);
          problem.repaired = true;
        }
        problems.push(problem);
      }
    }
  }
  // A blob absent from the listing is looked for once more: a row deleted and its blob collected
  // after the snapshot is not damage either.
  const usable = (hash: string): boolean => !damaged.has(hash) && (present.has(hash) || lib.blobs.has(hash));
  const stillNamed = (ref: BlobReference): boolean =>
    lib.db.prepare(`SELECT 1 FROM ${ref.table} WHERE ${ref.column} = ?`).get(ref.hash) !== undefined;

  const badTakes = new Set<string>();
  for (const ref of refs) {
    if (usable(ref.hash) || !stillNamed(ref)) continue;
    if (ref.table === 'takes' && ref.column === 'audio_hash') {
      badTakes.add(ref.rowKey);
      problems.push({
        kind: 'take-without-audio',
        detail: `take ${ref.rowKey} has no audio (blob ${ref.hash})`,
        repairable: true,
      });
    } else if (ref.table === 'takes' || ref.table === 'performer_prompt_codes') {
      // derived data: codes and peaks are recomputed, cached prompt codes re-encoded
      const problem: Problem = {
        kind: 'missing-blob',
        detail: `${ref.table}.${ref.column} of ${ref.rowKey} names missing blob ${ref.hash}`,
        repairable: true,
      };
      if (repair) {
        if (ref.table === 'takes') lib.db.prepare(`UPDATE takes SET ${ref.column} = NULL WHERE id = ?`).run(ref.rowKey);
        else lib.db.prepare(`DELETE FROM performer_prompt_codes WHERE codes_hash = ?`).run(ref.hash);
        problem.repaired = true;
      }
      problems.push(problem);
    } else {
      problems.push({
        kind: 'missing-blob',
        detail: `${ref.table}.${ref.column} of ${ref.rowKey} names missing blob ${ref.hash}`,
        repairable: false,
      });
    }
  }
  if (repair && badTakes.size > 0) {
    lib.write(() => {
      for (const takeId of badTakes) {
        // Checked again under the write lock: only a take whose audio is still missing now is deleted.
        const take = lib.db.prepare('SELECT audio_hash FROM takes WHERE id = ?').get(takeId) as
          { audio_hash: string } | undefined;
        if (!take || usable(take.audio_hash)) continue;
        // the job that made this take must render that segment again when resumed
        const progress = lib.db
          .prepare('SELECT job_id, segment_id FROM job_segments WHERE take_id = ?')
          .all(takeId) as Array<{ job_id: string; segment_id: number }>;
        lib.db.prepare('DELETE FROM takes WHERE id = ?').run(takeId);
        for (const row of progress) reopenJobSegment(lib, row.job_id, row.segment_id);
      }
    });
    for (const p of problems) if (p.kind === 'take-without-audio') p.repaired = true;
  }

  // An unfinished job that counts a segment done whose take is gone would skip it on resume.
  // (A finished job's record may point at a take the user removed since: that is history, not damage.)
  const stale = lib.db
    .prepare(
      `SELECT js.job_id, js.segment_id FROM job_segments js JOIN jobs j ON j.id = js.job_id
       WHERE js.status = 'done' AND js.take_id IS NULL AND j.status NOT IN ('done', 'cancelled')`,
    )
    .all() as Array<{ job_id: string; segment_id: number }>;
  for (const row of stale) {
    const problem: Problem = {
      kind: 'job-progress',
      detail: `job ${row.job_id} counts segment ${row.segment_id} done but its take is gone`,
      repairable: true,
    };
    if (repair) {
      lib.write(() => reopenJobSegment(lib, row.job_id, row.segment_id));
      problem.repaired = true;
    }
    problems.push(problem);
  }

  const now = Date.now();
  for (const temp of temps) {
    if (now - temp.mtimeMs < graceMs) continue;
    const problem: Problem = {
      kind: 'orphan-temp',
      detail: `temp file ${temp.path} left by an interrupted write`,
      repairable: true,
    };
    if (repair) {
      try {
        unlinkSync(temp.path);
      } catch {
        // gone already
      }
      problem.repaired = true;
    }
    problems.push(problem);
  }
  for (const stray of strays)
    problems.push({ kind: 'stray-file', detail: `${stray} is not a blob`, repairable: false });

  return { ok: problems.every((p) => p.repaired), problems, checkedBlobs: blobs.length };
}

function reopenJobSegment(lib: Library, jobId: string, segmentId: number): void {
  lib.db
    .prepare(`UPDATE job_segments SET status = 'pending', take_id = NULL WHERE job_id = ? AND segment_id = ?`)
    .run(jobId, segmentId);
  lib.db
    .prepare(
      `UPDATE jobs SET done = (SELECT count(*) FROM job_segments WHERE job_id = @job AND status = 'done'),
         status = CASE WHEN status IN ('done', 'running') THEN 'interrupted' ELSE status END, finished_at = NULL WHERE id = @job`,
    )
    .run({ job: jobId });
}
