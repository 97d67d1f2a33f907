import { randomUUID } from 'node:crypto';
import { StudioFailure } from '../shared/failure';
import type { Library } from './library';
import { toJob, type Json, type JobRecord, type JobStatus, type RenderRecord } from './records';
import { createRender, type NewRender } from './renders';

export interface RenderJobOptions {
  /** Only these segment indices (default: all segments of the render). */
  segments?: number[];
  /** A seed other than the render's, for alternative takes. */
  seed?: number;
}

/** Queues a render job: one progress row per segment, so the job can resume segment by segment. */
export function createRenderJob(lib: Library, renderId: string, options: RenderJobOptions = {}): JobRecord {
  const id = randomUUID();
  const now = Date.now();
  lib.write(() => {
    const segmentIds = lib.db
      .prepare('SELECT id, idx FROM segments WHERE render_id = ? ORDER BY idx')
      .all(renderId) as Array<{ id: number; idx: number }>;
    if (segmentIds.length === 0) throw new StudioFailure('not-found', `no render ${renderId} with segments`);
    const wanted = options.segments ? new Set(options.segments) : undefined;
    const chosen = wanted ? segmentIds.filter((s) => wanted.has(s.idx)) : segmentIds;
    if (wanted && chosen.length !== wanted.size)
      throw new StudioFailure(
        'invalid-argument',
        `render ${renderId} lacks some of segments ${[...wanted].join(', ')}`,
      );
    const opts: Json = {};
    if (options.seed !== undefined) opts.seed = options.seed;
    lib.db
      .prepare(
        `INSERT INTO jobs (id, kind, render_id, status, options_json, total, done, created_at, updated_at)
         VALUES (?, 'render', ?, 'queued', ?, ?, 0, ?, ?)`,
      )
      .run(id, renderId, JSON.stringify(opts), chosen.length, now, now);
    const insert = lib.db.prepare(`INSERT INTO job_segments (job_id, segment_id, status) VALUES (?, ?, 'pending')`);
    for (const s of chosen) insert.run(id, s.id);
  });
  return getJob(lib, id);
}

/** Creates a render and its job in one transaction, so no render is ever left without a job to finish it. */
export function queueRender(lib: Library, input: NewRender): { render: RenderRecord; job: JobRecord } {
  return lib.write(() => {
    const render = createRender(lib, input);
    return { render, job: createRenderJob(lib, render.id) };
  });
}

export function getJob(lib: Library, id: string): JobRecord {
  const row = lib.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id);
  if (!row) throw new StudioFailure('not-found', `no job ${id}`);
  return toJob(row as Json);
}

export function listJobs(lib: Library, filter: { status?: JobStatus[]; renderId?: string } = {}): JobRecord[] {
  const rows = lib.db.prepare('SELECT * FROM jobs ORDER BY created_at, rowid').all() as Json[];
  return rows
    .map(toJob)
    .filter(
      (j) =>
        (!filter.status || filter.status.includes(j.status)) && (!filter.renderId || j.renderId === filter.renderId),
    );
}

/** Jobs that can be run again to completion: interrupted by a crash, failed, or never started. */
export function resumableJobs(lib: Library): JobRecord[] {
  return listJobs(lib, { status: ['queued', 'interrupted', 'failed'] });
}

export function setJobStatus(lib: Library, id: string, status: JobStatus, error: string | null = null): void {
  const now = Date.now();
  lib.db
    .prepare(
      `UPDATE jobs SET status = ?, error = ?, updated_at = ?,
         owner_pid = CASE WHEN ? = 'running' THEN owner_pid ELSE NULL END,
         finished_at = CASE WHEN ? IN ('done', 'failed', 'cancelled') THEN ? ELSE NULL END
       WHERE id = ?`,
    )
    .run(status, error, now, status, status, now, id);
}

/** Jobs this process is running now (a pid alone cannot tell two libraries in one process apart). */
export const jobsRunningHere = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function isJobOwnerAlive(job: JobRecord): boolean {
  if (job.ownerPid === null) return false;
  if (job.ownerPid === process.pid) return jobsRunningHere.has(job.id);
  return processAlive(job.ownerPid);
}

/**
 * A job left `running` by a process that no longer exists (crash, kill, power loss) becomes
 * `interrupted`, and so does its render. A job whose owner still runs (another window, the CLI) is left alone.
 */
export function markOrphanedJobsInterrupted(lib: Library): JobRecord[] {
  const running = listJobs(lib, { status: ['running'] });
  const orphans = running.filter((j) => !isJobOwnerAlive(j));
  if (orphans.length === 0) return [];
  lib.write(() => {
    for (const job of orphans) {
      setJobStatus(lib, job.id, 'interrupted', 'the process running this job stopped before it finished');
      if (job.renderId) {
        lib.db
          .prepare(`UPDATE renders SET status = 'interrupted' WHERE id = ? AND status = 'rendering'`)
          .run(job.renderId);
      }
    }
  });
  return orphans.map((j) => getJob(lib, j.id));
}
