// Job rows: the transactional operations a render job is made of. The services' job module
// (electron/services/render/jobs.ts) decides when each happens; nothing here runs a job or calls back
// into the services.
import { randomUUID } from 'node:crypto';
import { StudioFailure } from '../shared/failure';
import type { Library } from './library';
import {
  RESUMABLE_JOB_STATES,
  toJob,
  toSegment,
  type Json,
  type JobRecord,
  type JobStatus,
  type RenderRecord,
  type SegmentRecord,
} from './records';
import { createRender, getRender, insertTake, setRenderStatus, type NewRender, type NewTake } from './renders';

export interface RenderJobOptions {
  /** Only these segment indices (default: all segments of the render). */
  segments?: number[];
  /** The seed the job's segments derive theirs from (default: the render's). */
  seed?: number;
}

/** Queues a render job: one progress row per segment, so the job can resume segment by segment. */
export function createRenderJob(lib: Library, renderId: string, options: RenderJobOptions = {}): JobRecord {
  const id = randomUUID();
  const now = Date.now();
  lib.write(() => {
    const render = getRender(lib, renderId);
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
    lib.db
      .prepare(
        `INSERT INTO jobs (id, kind, render_id, status, seed, options_json, total, done, created_at, updated_at)
         VALUES (?, 'render', ?, 'queued', ?, '{}', ?, 0, ?, ?)`,
      )
      .run(id, renderId, options.seed ?? render.seed, chosen.length, now, now);
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

export function listJobs(lib: Library, filter: { status?: readonly JobStatus[]; renderId?: string } = {}): JobRecord[] {
  const rows = lib.db.prepare('SELECT * FROM jobs ORDER BY created_at, rowid').all() as Json[];
  return rows
    .map(toJob)
    .filter(
      (j) =>
        (!filter.status || filter.status.includes(j.status)) && (!filter.renderId || j.renderId === filter.renderId),
    );
}

/** Jobs that can be run again to completion (of one render, or all). */
export function resumableJobs(lib: Library, renderId?: string): JobRecord[] {
  return listJobs(lib, { status: RESUMABLE_JOB_STATES, ...(renderId ? { renderId } : {}) });
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

/** Whether this process runs a job (the services' job module knows; a pid alone cannot tell two studios apart). */
export type RunningHere = (jobId: string) => boolean;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A job's owner: this process when it says it runs the job, else the process named by owner_pid. */
export function isJobOwnerAlive(job: JobRecord, runningHere: RunningHere): boolean {
  if (job.ownerPid === null) return false;
  if (job.ownerPid === process.pid) return runningHere(job.id);
  return processAlive(job.ownerPid);
}

/**
 * Claims a job for this process (status running, owner_pid ours). Returns undefined for a job that
 * is already done; refuses one that a live process runs.
 */
export function claimJob(lib: Library, jobId: string, runningHere: RunningHere): JobRecord | undefined {
  return lib.write(() => {
    const job = getJob(lib, jobId);
    if (job.status === 'done') return undefined;
    if (!job.renderId) throw new StudioFailure('invalid-argument', `job ${jobId} is not a render job`);
    if (job.status === 'running' && isJobOwnerAlive(job, runningHere)) {
      throw new StudioFailure(
        'unavailable',
        `job ${jobId} is already running (process ${job.ownerPid}); wait for it or cancel it`,
      );
    }
    lib.db
      .prepare(
        `UPDATE jobs SET status = 'running', error = NULL, owner_pid = ?, started_at = coalesce(started_at, ?), finished_at = NULL, updated_at = ? WHERE id = ?`,
      )
      .run(process.pid, Date.now(), Date.now(), jobId);
    setRenderStatus(lib, job.renderId, 'rendering');
    return getJob(lib, jobId);
  });
}

/** The segments a job still has to render, in order. */
export function pendingSegments(lib: Library, jobId: string): SegmentRecord[] {
  const rows = lib.db
    .prepare(
      `SELECT s.* FROM job_segments js JOIN segments s ON s.id = js.segment_id
       WHERE js.job_id = ? AND js.status = 'pending' ORDER BY s.idx`,
    )
    .all(jobId) as Json[];
  return rows.map(toSegment);
}

/**
 * Records a segment's take and the job's progress in one transaction: a new take (its blobs already
 * stored), or an existing one reused from the render cache (the same take when it belongs to this
 * segment, else a copy of its row). Returns the take's id.
 */
export function recordTake(lib: Library, jobId: string, segmentId: number, take: { reuse: string } | NewTake): string {
  return lib.write(() => {
    let id: string;
    if ('reuse' in take) {
      const cached = toJobTake(lib, take.reuse);
      id = cached.segment_id === segmentId ? take.reuse : copyTake(lib, take.reuse, segmentId, jobId);
    } else id = insertTake(lib, take);
    lib.db
      .prepare(`UPDATE job_segments SET status = 'done', take_id = ? WHERE job_id = ? AND segment_id = ?`)
      .run(id, jobId, segmentId);
    lib.db
      .prepare(
        `UPDATE jobs SET done = (SELECT count(*) FROM job_segments WHERE job_id = @job AND status = 'done'), updated_at = @now WHERE id = @job`,
      )
      .run({ job: jobId, now: Date.now() });
    return id;
  });
}

const toJobTake = (lib: Library, takeId: string): { segment_id: number } => {
  const row = lib.db.prepare('SELECT segment_id FROM takes WHERE id = ?').get(takeId) as
    { segment_id: number } | undefined;
  if (!row) throw new StudioFailure('not-found', `no take ${takeId}`);
  return row;
};

/** A cached take's audio given to another segment: a new row over the same blobs. */
function copyTake(lib: Library, takeId: string, segmentId: number, jobId: string): string {
  const row = lib.db.prepare('SELECT * FROM takes WHERE id = ?').get(takeId) as Json;
  return insertTake(lib, {
    segmentId,
    jobId,
    seed: Number(row.seed),
    segmentSeed: row.segment_seed === null ? null : Number(row.segment_seed),
    params: JSON.parse(String(row.params_json)) as Json,
    cacheKey: String(row.cache_key),
    audioHash: String(row.audio_hash),
    audioFormat: String(row.audio_format),
    codesHash: (row.codes_hash as string | null) ?? null,
    peaksHash: (row.peaks_hash as string | null) ?? null,
    sampleRate: Number(row.sample_rate),
    channels: Number(row.channels),
    duration: Number(row.duration),
    loudnessLufs: (row.loudness_lufs as number | null) ?? null,
    peakDbfs: (row.peak_dbfs as number | null) ?? null,
  });
}

/**
 * Ends a job: its status, and its render's (done once every segment has a take; a job that ended
 * well over a render that still lacks takes leaves the render queued for its other jobs).
 */
export function settleJob(
  lib: Library,
  jobId: string,
  outcome: 'done' | 'failed' | 'cancelled',
  error: string | null = null,
): void {
  lib.write(() => {
    const job = getJob(lib, jobId);
    setJobStatus(lib, jobId, outcome, error);
    if (!job.renderId) return;
    const missing = Number(
      lib.db
        .prepare(
          'SELECT count(*) FROM segments s WHERE s.render_id = ? AND NOT EXISTS (SELECT 1 FROM takes t WHERE t.segment_id = s.id)',
        )
        .pluck()
        .get(job.renderId),
    );
    setRenderStatus(
      lib,
      job.renderId,
      outcome === 'done' && missing === 0 ? 'done' : outcome === 'done' ? 'queued' : outcome,
      error,
    );
  });
}

/**
 * A job left `running` by a process that no longer exists (crash, kill, power loss) becomes
 * `interrupted`, and so does its render. A job whose owner still runs (another window, the CLI) is left alone.
 */
export function markOrphanedJobsInterrupted(lib: Library, runningHere: RunningHere): JobRecord[] {
  const running = listJobs(lib, { status: ['running'] });
  const orphans = running.filter((j) => !isJobOwnerAlive(j, runningHere));
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
