// One run of a render job, segment by segment: claim it, derive each segment's seed and cache key,
// reuse a cached take or render one, record it with the job's progress, settle. A crash at any moment
// leaves either no take or a whole one, and the job resumes where it stopped.
import {
  claimJob,
  findCachedTake,
  getJob,
  getRender,
  pendingSegments,
  recordTake,
  renderCacheKey,
  settleJob,
  type JobRecord,
  type Library,
  type RenderRecord,
  type SegmentRecord,
} from '../../library';
import { StudioFailure } from '../../shared/failure';
import { segmentSeed } from '../../shared/seeds';
import type { SegmentEngine, SegmentWork } from './engine-binding';

/** The jobs this process is running now, with their cancel switches: the one in-process record of it. */
const runningHere = new Map<string, AbortController>();

export const isRunningHere = (jobId: string): boolean => runningHere.has(jobId);

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
}

const cancelled = (): StudioFailure => new StudioFailure('cancelled', 'the render was cancelled');

function segmentWork(
  render: RenderRecord,
  segment: SegmentRecord,
  seed: number | null,
  voice: string | null,
  signal: AbortSignal | undefined,
): SegmentWork {
  const cacheKey = renderCacheKey({
    pack: { id: render.packId, version: render.packVersion },
    tokensHash: segment.tokensHash,
    voice,
    seed,
    params: render.params,
  });
  return { render, segment, seed, params: render.params, cacheKey, signal };
}

/** Runs (or resumes) a render job to its end in this process; returns the final job record. */
export async function runJob(
  lib: Library,
  jobId: string,
  engine: SegmentEngine,
  options: RunJobOptions = {},
): Promise<JobRecord> {
  if (runningHere.has(jobId)) throw new StudioFailure('unavailable', `job ${jobId} is already running in this process`);
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  runningHere.set(jobId, controller);
  try {
    const job = claimJob(lib, jobId, isRunningHere);
    if (!job) return getJob(lib, jobId);
    const render = getRender(lib, job.renderId!);
    try {
      const open = await engine.open(render, jobId);
      // The one place a segment's seed is derived: from the job's seed and the segment's index.
      const work = pendingSegments(lib, jobId).map((segment) =>
        segmentWork(render, segment, engine.seeded ? segmentSeed(job.seed, segment.index) : null, open.voice, signal),
      );
      const misses = new Set(work.filter((w) => !findCachedTake(lib, w.cacheKey)));
      for (const [i, item] of work.entries()) {
        if (signal.aborted) throw cancelled();
        const cached = findCachedTake(lib, item.cacheKey);
        let takeId: string;
        if (cached) takeId = recordTake(lib, jobId, item.segment.id, { reuse: cached.id });
        else {
          const upcoming = work.slice(i + 1).filter((w) => misses.has(w));
          const out = await open.render(item, upcoming);
          if (signal.aborted) throw cancelled();
          if (!(out.audio instanceof Uint8Array) || out.audio.byteLength === 0)
            throw new StudioFailure('runtime', `the engine returned no audio for segment ${item.segment.index + 1}`);
          // Blobs are fsynced and renamed into place before the row that refers to them exists.
          const audioHash = lib.putBlob(out.audio);
          const codesHash = out.codes ? lib.putBlob(out.codes) : null;
          const peaksHash = out.peaks ? lib.putBlob(out.peaks) : null;
          takeId = recordTake(lib, jobId, item.segment.id, {
            segmentId: item.segment.id,
            jobId,
            seed: job.seed,
            segmentSeed: item.seed,
            params: render.params,
            cacheKey: item.cacheKey,
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
        }
        const now = getJob(lib, jobId);
        options.onProgress?.({
          jobId,
          done: now.done,
          total: now.total,
          segmentIndex: item.segment.index,
          takeId,
          reused: Boolean(cached),
        });
      }
      settleJob(lib, jobId, 'done');
    } catch (error) {
      const wasCancelled = signal.aborted || (error instanceof StudioFailure && error.code === 'cancelled');
      const message = error instanceof Error ? error.message : String(error);
      settleJob(lib, jobId, wasCancelled ? 'cancelled' : 'failed', wasCancelled ? null : message);
      throw wasCancelled && !(error instanceof StudioFailure) ? cancelled() : error;
    }
    return getJob(lib, jobId);
  } finally {
    runningHere.delete(jobId);
    // Whatever ended the job, engine work still under way for it (e.g. the rest of a batch after a take
    // could not be stored) stops instead of holding the engine for the next job.
    controller.abort();
  }
}

/** Cancels a job this process runs; false when it runs none by that id. */
export function cancelRunningHere(jobId: string): boolean {
  const controller = runningHere.get(jobId);
  if (!controller || controller.signal.aborted) return false;
  controller.abort();
  return true;
}
