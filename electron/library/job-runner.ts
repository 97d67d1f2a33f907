import { StudioFailure } from '../shared/failure';
import type { Library } from './library';
import { findPromptCodes } from './performers';
import type { Json, JobRecord, RenderRecord, SegmentRecord } from './records';
import { findCachedTake, getRender, insertTake, renderCacheKey, setRenderStatus } from './renders';
import { getJob, isJobOwnerAlive, jobsRunningHere, setJobStatus } from './jobs-store';

/** What a segment renderer is asked to make. */
export interface SegmentWork {
  render: RenderRecord;
  segment: SegmentRecord;
  seed: number;
  params: Json;
  cacheKey: string;
  signal: AbortSignal | undefined;
}

/** What it returns: encoded audio (and optionally codec codes and waveform peaks) plus facts about it. */
export interface RenderedSegment {
  audio: Uint8Array;
  audioFormat?: string; // default 'wav'
  sampleRate: number;
  channels: number;
  duration: number;
  codes?: Uint8Array | null;
  peaks?: Uint8Array | null;
  loudnessLufs?: number | null;
  peakDbfs?: number | null;
}

export type SegmentRenderer = (work: SegmentWork) => Promise<RenderedSegment>;

export interface JobProgress {
  jobId: string;
  done: number;
  total: number;
  segmentIndex: number;
  takeId: string;
  reused: boolean; // true when the render cache supplied the take
}

export interface RunJobOptions {
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  /** Overrides the prompt-codes hash in the cache key (default: the performer's cached codes for the pack). */
  promptCodesHash?: string | null;
}

function claim(lib: Library, jobId: string): JobRecord | undefined {
  return lib.write(() => {
    const job = getJob(lib, jobId);
    if (job.status === 'done') return undefined;
    if (job.status === 'running' && isJobOwnerAlive(job)) {
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
    if (job.renderId) setRenderStatus(lib, job.renderId, 'rendering');
    return job;
  });
}

/** Marks the render done once every segment has a take, else leaves it with the job's outcome. */
function settleRender(
  lib: Library,
  renderId: string,
  outcome: 'done' | 'failed' | 'cancelled',
  error: string | null,
): void {
  const missing = Number(
    lib.db
      .prepare(
        'SELECT count(*) FROM segments s WHERE s.render_id = ? AND NOT EXISTS (SELECT 1 FROM takes t WHERE t.segment_id = s.id)',
      )
      .pluck()
      .get(renderId),
  );
  setRenderStatus(
    lib,
    renderId,
    outcome === 'done' && missing === 0 ? 'done' : outcome === 'done' ? 'queued' : outcome,
    error,
  );
}

/**
 * Runs (or resumes) a render job: segments already done by this job are skipped; each new take's
 * blobs are written completely before one transaction inserts the take and records the progress,
 * so a crash at any moment leaves either no take or a whole one. Returns the final job record.
 */
export async function runRenderJob(
  lib: Library,
  jobId: string,
  renderSegment: SegmentRenderer,
  options: RunJobOptions = {},
): Promise<JobRecord> {
  if (jobsRunningHere.has(jobId))
    throw new StudioFailure('unavailable', `job ${jobId} is already running in this process`);
  jobsRunningHere.add(jobId);
  try {
    const job = claim(lib, jobId);
    if (!job) return getJob(lib, jobId);
    if (!job.renderId) throw new StudioFailure('invalid-argument', `job ${jobId} is not a render job`);
    const render = getRender(lib, job.renderId);
    const seed = typeof job.options.seed === 'number' ? job.options.seed : render.seed;
    const promptCodesHash =
      options.promptCodesHash !== undefined
        ? options.promptCodesHash
        : render.performerId
          ? (findPromptCodes(lib, render.performerId, { id: render.packId, version: render.packVersion }) ?? null)
          : null;
    const pending = lib.db
      .prepare(
        `SELECT s.*, js.segment_id FROM job_segments js JOIN segments s ON s.id = js.segment_id
         WHERE js.job_id = ? AND js.status = 'pending' ORDER BY s.idx`,
      )
      .all(jobId) as Json[];
    const markDone = lib.db.prepare(
      `UPDATE job_segments SET status = 'done', take_id = ? WHERE job_id = ? AND segment_id = ?`,
    );
    const bumpJob = lib.db.prepare(
      `UPDATE jobs SET done = (SELECT count(*) FROM job_segments WHERE job_id = @job AND status = 'done'), updated_at = @now WHERE id = @job`,
    );
    try {
      for (const row of pending) {
        if (options.signal?.aborted) throw new StudioFailure('cancelled', 'the render was cancelled');
        const segment: SegmentRecord = {
          id: Number(row.id),
          renderId: String(row.render_id),
          index: Number(row.idx),
          start: Number(row.start_s),
          end: Number(row.end_s),
          tokensHash: String(row.tokens_hash),
        };
        const cacheKey = renderCacheKey({
          pack: { id: render.packId, version: render.packVersion },
          tokensHash: segment.tokensHash,
          promptCodesHash,
          seed,
          params: render.params,
        });
        const cached = findCachedTake(lib, cacheKey);
        let takeId: string;
        if (cached) {
          takeId = lib.write(() => {
            const id =
              cached.segmentId === segment.id
                ? cached.id
                : insertTake(lib, { ...cached, segmentId: segment.id, jobId, seed, params: render.params, cacheKey });
            markDone.run(id, jobId, segment.id);
            bumpJob.run({ job: jobId, now: Date.now() });
            return id;
          });
        } else {
          const out = await renderSegment({
            render,
            segment,
            seed,
            params: render.params,
            cacheKey,
            signal: options.signal,
          });
          if (options.signal?.aborted) throw new StudioFailure('cancelled', 'the render was cancelled');
          if (!(out.audio instanceof Uint8Array) || out.audio.byteLength === 0) {
            throw new StudioFailure('runtime', `the renderer returned no audio for segment ${segment.index}`);
          }
          // Blobs are fsynced and renamed into place before the row that refers to them exists.
          const audioHash = lib.putBlob(out.audio);
          const codesHash = out.codes ? lib.putBlob(out.codes) : null;
          const peaksHash = out.peaks ? lib.putBlob(out.peaks) : null;
          takeId = lib.write(() => {
            const id = insertTake(lib, {
              segmentId: segment.id,
              jobId,
              seed,
              params: render.params,
              cacheKey,
              audioHash,
              audioFormat: out.audioFormat ?? 'wav',
              codesHash,
              peaksHash,
              sampleRate: out.sampleRate,
              channels: out.channels,
              duration: out.duration,
              loudnessLufs: out.loudnessLufs ?? null,
              peakDbfs: out.peakDbfs ?? null,
            });
            markDone.run(id, jobId, segment.id);
            bumpJob.run({ job: jobId, now: Date.now() });
            return id;
          });
        }
        const now = getJob(lib, jobId);
        options.onProgress?.({
          jobId,
          done: now.done,
          total: now.total,
          segmentIndex: segment.index,
          takeId,
          reused: Boolean(cached),
        });
      }
      lib.write(() => {
        setJobStatus(lib, jobId, 'done');
        settleRender(lib, render.id, 'done', null);
      });
    } catch (error) {
      const cancelled = error instanceof StudioFailure && error.code === 'cancelled';
      const message = error instanceof Error ? error.message : String(error);
      lib.write(() => {
        setJobStatus(lib, jobId, cancelled ? 'cancelled' : 'failed', cancelled ? null : message);
        settleRender(lib, render.id, cancelled ? 'cancelled' : 'failed', cancelled ? null : message);
      });
      throw error;
    }
    return getJob(lib, jobId);
  } finally {
    jobsRunningHere.delete(jobId);
  }
}
