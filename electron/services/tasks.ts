import { randomUUID } from 'node:crypto';
import { StudioFailure } from '../shared/failure';
import type { EventHub } from './events';

export interface JobControl {
  signal: AbortSignal;
  /** Reports progress; events are throttled so a fast loop does not flood the views. */
  progress(done: number, total: number, stage: string, segmentIndex?: number): void;
}

interface RunningJob {
  controller: AbortController;
  renderId?: string;
  done: Promise<void>;
}

const PROGRESS_INTERVAL_MS = 100;

/**
 * Long work that is not a render (installing a model pack): run in the background of the host
 * process, one task at a time, with progress (and an ETA from the observed rate), cancellation and an
 * end event, told as the same job.progress / job.ended events the views follow for renders. Render jobs
 * have their own home (render/jobs.ts): they are resumable rows in the library; a task is not.
 */
export class TaskRunner {
  private readonly jobs = new Map<string, RunningJob>();
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly events: EventHub) {}

  start(options: { jobId?: string; renderId?: string; run: (control: JobControl) => Promise<void> }): string {
    const jobId = options.jobId ?? randomUUID();
    const controller = new AbortController();
    const startedAt = Date.now();
    let lastEmit = 0;
    const control: JobControl = {
      signal: controller.signal,
      progress: (done, total, stage, segmentIndex) => {
        const now = Date.now();
        if (done < total && now - lastEmit < PROGRESS_INTERVAL_MS) return;
        lastEmit = now;
        const elapsed = (now - startedAt) / 1000;
        const etaSeconds = done > 0 && total > done ? (elapsed / done) * (total - done) : null;
        this.events.emit({
          type: 'job.progress',
          jobId,
          stage,
          done,
          total,
          etaSeconds,
          ...(options.renderId ? { renderId: options.renderId } : {}),
          ...(segmentIndex !== undefined ? { segmentIndex } : {}),
        });
      },
    };
    // Jobs run one after another: two renders at once would only halve each other's speed.
    const done = this.tail.then(async () => {
      if (controller.signal.aborted) {
        this.end(jobId, 'cancelled', 'cancelled before it started', options.renderId);
        return;
      }
      try {
        await options.run(control);
        this.end(jobId, controller.signal.aborted ? 'cancelled' : 'done', undefined, options.renderId);
      } catch (error) {
        const cancelled = controller.signal.aborted || (error instanceof StudioFailure && error.code === 'cancelled');
        const message = error instanceof Error ? error.message : String(error);
        this.end(jobId, cancelled ? 'cancelled' : 'failed', message, options.renderId);
      }
    });
    this.tail = done.catch(() => undefined);
    this.jobs.set(jobId, { controller, renderId: options.renderId, done });
    return jobId;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.controller.signal.aborted) return false;
    job.controller.abort();
    return true;
  }

  isRunning(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  /** Resolves when the job has ended (whatever its outcome); for the CLI and tests. */
  async wait(jobId: string): Promise<void> {
    await this.jobs.get(jobId)?.done;
  }

  async cancelAll(): Promise<void> {
    for (const job of this.jobs.values()) job.controller.abort();
    await Promise.allSettled([...this.jobs.values()].map((job) => job.done));
  }

  private end(jobId: string, status: 'done' | 'failed' | 'cancelled', message?: string, renderId?: string): void {
    this.jobs.delete(jobId);
    this.events.emit({
      type: 'job.ended',
      jobId,
      status,
      ...(message ? { message } : {}),
      ...(renderId ? { renderId } : {}),
    });
  }
}
