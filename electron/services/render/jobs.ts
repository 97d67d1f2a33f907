// The render job's one home: create, queue, run, cancel, resume and recover after a crash. Handlers,
// the CLI (through the handlers) and the hosts' start-up all come here; the library below only
// keeps rows, and the engines only render what the job hands them.
import {
  createRenderJob,
  getJob,
  getRender,
  lockedSegmentIndices,
  markOrphanedJobsInterrupted,
  queueRender,
  resumableJobs,
  settleJob,
  type Library,
} from '../../library';
import { StudioFailure } from '../../shared/failure';
import { randomSeed } from '../../shared/seeds';
import type { EventHub } from '../events';
import type { RenderEngine } from './engine-binding';
import { cancelRunningHere, isRunningHere, runJob } from './job-run';
import { renderMix } from './mix';
import { planOf, planRender, segmentInputHash, type RenderParams } from './plan';

export type EngineKind = 'sampler' | 'neural';

export interface StartRenderOptions {
  pieceId: string;
  performerId: string;
  engine: EngineKind;
  packId?: string;
  seed?: number;
  params: RenderParams;
}

const PROGRESS_INTERVAL_MS = 100;

const segmentLabel = (indices: number[]): string =>
  indices.length === 1 ? `segment ${indices[0]! + 1}` : `segments ${indices.map((i) => i + 1).join(', ')}`;

export class RenderJobs {
  private readonly ended = new Map<string, Promise<void>>();
  /** Jobs run one after another: two renders at once would only halve each other's speed. */
  private tail: Promise<void> = Promise.resolve();
  private readonly queuedHere = new Map<string, AbortController>();

  constructor(
    private readonly library: () => Library,
    private readonly events: EventHub,
    private readonly engines: Record<EngineKind, RenderEngine>,
  ) {}

  /** Records a render, its segments and its job in one transaction, then runs the job in the background. */
  async start(options: StartRenderOptions): Promise<{ renderId: string; jobId: string }> {
    const lib = this.library();
    const plan = planRender(lib, options.pieceId, options.performerId, options.params);
    const engine = this.engines[options.engine];
    const pack = await engine.pack(options.packId);
    engine.check?.(plan);
    const { render, job } = queueRender(lib, {
      pieceId: plan.piece.id,
      performerId: plan.performer.id,
      engine: options.engine,
      pack,
      params: options.params,
      seed: options.seed ?? randomSeed(),
      device: options.engine === 'sampler' ? 'cpu' : null,
      segments: plan.segments.map((s) => ({
        index: s.index,
        start: s.start,
        end: s.end,
        tokensHash: segmentInputHash(plan, s),
      })),
    });
    this.launch(job.id, render.id);
    this.events.emit({ type: 'library.changed', what: 'renders' });
    return { renderId: render.id, jobId: job.id };
  }

  /**
   * New takes for some segments, with a new seed unless one is given. Locked segments are never
   * regenerated: asked for by name they are refused; with `skipLocked` (a range) they are left out.
   */
  regenerate(
    renderId: string,
    indices: number[],
    options: { seed?: number; skipLocked?: boolean } = {},
  ): { jobId: string; skipped: number[] } {
    const lib = this.library();
    const render = getRender(lib, renderId);
    const count = planOf(lib, render).segments.length;
    const wanted = [...new Set(indices)].sort((a, b) => a - b);
    const missing = wanted.filter((i) => i >= count);
    if (missing.length)
      throw new StudioFailure(
        'invalid-argument',
        `the render has segments 1–${count}; there is no ${segmentLabel(missing)}`,
      );
    const locked = new Set(lockedSegmentIndices(lib, renderId));
    const skipped = wanted.filter((i) => locked.has(i));
    if (skipped.length && !options.skipLocked)
      throw new StudioFailure(
        'conflict',
        `${segmentLabel(skipped)} ${skipped.length === 1 ? 'is' : 'are'} locked; unlock ${skipped.length === 1 ? 'its take' : 'their takes'} to regenerate`,
      );
    const chosen = wanted.filter((i) => !locked.has(i));
    if (chosen.length === 0)
      throw new StudioFailure(
        'conflict',
        `every segment asked for is locked (${segmentLabel(skipped)}); nothing to do`,
      );
    const job = createRenderJob(lib, renderId, { segments: chosen, seed: options.seed ?? randomSeed() });
    this.launch(job.id, renderId);
    return { jobId: job.id, skipped };
  }

  /** Starts again every unfinished job of one render (interrupted, cancelled, failed or never started). */
  resume(renderId: string): string[] {
    const lib = this.library();
    getRender(lib, renderId);
    const jobs = resumableJobs(lib, renderId).filter((j) => !this.isRunning(j.id));
    for (const job of jobs) this.launch(job.id, renderId);
    return jobs.map((j) => j.id);
  }

  /** Crash recovery: jobs left `running` by a process that is gone become `interrupted`. */
  recover(lib: Library): void {
    // A library opened from a disk that takes no writes is only read now; recovery waits for a writable start.
    if (!lib.degraded) markOrphanedJobsInterrupted(lib, isRunningHere);
  }

  /** Runs again every job a crash or kill interrupted (the app and the browser host do this at start). */
  resumeInterrupted(): string[] {
    const jobs = resumableJobs(this.library()).filter((j) => j.status === 'interrupted' && j.renderId);
    for (const job of jobs) this.launch(job.id, job.renderId!);
    return jobs.map((j) => j.id);
  }

  cancel(jobId: string): boolean {
    const queued = this.queuedHere.get(jobId);
    if (queued && !queued.signal.aborted) {
      queued.abort();
      return true;
    }
    return cancelRunningHere(jobId);
  }

  isRunning(jobId: string): boolean {
    return this.ended.has(jobId) || isRunningHere(jobId);
  }

  /** Resolves when the job has ended, whatever its outcome. */
  async wait(jobId: string): Promise<void> {
    await this.ended.get(jobId);
  }

  async cancelAll(): Promise<void> {
    for (const jobId of this.ended.keys()) this.cancel(jobId);
    await Promise.allSettled([...this.ended.values()]);
  }

  /** Queues a job behind the running ones; progress and the end are told as events. */
  private launch(jobId: string, renderId: string): void {
    const controller = new AbortController();
    this.queuedHere.set(jobId, controller);
    // A job starts on a later turn of the event loop, so whoever queued it can listen to all its events.
    const done = this.tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => this.execute(jobId, renderId, controller));
    this.tail = done.catch(() => undefined);
    this.ended.set(jobId, done);
  }

  private async execute(jobId: string, renderId: string, controller: AbortController): Promise<void> {
    const startedAt = Date.now();
    let lastEmit = 0;
    const progress = (done: number, total: number, segmentIndex?: number, stage?: string) => {
      const now = Date.now();
      if (done < total && stage === undefined && now - lastEmit < PROGRESS_INTERVAL_MS) return;
      lastEmit = now;
      const elapsed = (now - startedAt) / 1000;
      this.events.emit({
        type: 'job.progress',
        jobId,
        renderId,
        stage: stage ?? `segment ${Math.min(done + 1, total)} of ${total}`,
        done,
        total,
        etaSeconds: done > 0 && total > done ? (elapsed / done) * (total - done) : null,
        ...(segmentIndex !== undefined && segmentIndex >= 0 ? { segmentIndex } : {}),
      });
    };
    let status: 'done' | 'failed' | 'cancelled' = 'done';
    let message: string | undefined;
    try {
      const lib = this.library();
      if (controller.signal.aborted) {
        settleJob(lib, jobId, 'cancelled');
        throw new StudioFailure('cancelled', 'cancelled before it started');
      }
      const job = getJob(lib, jobId);
      const render = getRender(lib, renderId);
      progress(job.done, job.total, -1);
      await runJob(lib, jobId, this.engines[render.engine], {
        signal: controller.signal,
        onProgress: (p) => {
          progress(p.done, p.total, p.segmentIndex);
          this.events.emit({ type: 'render.updated', renderId });
        },
      });
      const settled = getJob(lib, jobId);
      progress(settled.done, settled.total, -1, 'assembling the mix');
      await renderMix(lib, getRender(lib, renderId), planOf(lib, getRender(lib, renderId)));
    } catch (error) {
      const cancelled = controller.signal.aborted || (error instanceof StudioFailure && error.code === 'cancelled');
      status = cancelled ? 'cancelled' : 'failed';
      message = error instanceof Error ? error.message : String(error);
    } finally {
      this.queuedHere.delete(jobId);
      this.ended.delete(jobId);
    }
    this.events.emit({ type: 'render.updated', renderId });
    this.events.emit({ type: 'job.ended', jobId, renderId, status, ...(message ? { message } : {}) });
  }
}
