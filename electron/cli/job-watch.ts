// Waiting for render jobs from the command line the way a view does: through the contract's events
// (job.progress, job.ended) and methods (renders.cancel), never by reaching into the job module.
import type { StudioEvent } from '../contract';
import type { CliContext } from './context';
import { createProgress } from './progress';

export interface JobOutcome {
  status: 'done' | 'failed' | 'cancelled';
  message?: string;
}

/**
 * Listens before the job starts (a job whose segments are all cached can end before the start
 * method returns), shows a progress bar on a terminal, and turns Ctrl-C into `renders.cancel`.
 */
export class JobWatch {
  private readonly outcomes = new Map<string, JobOutcome>();
  private readonly waiters = new Map<string, (outcome: JobOutcome) => void>();
  private readonly watched = new Set<string>();
  private readonly progress;
  private readonly unsubscribe: () => void;
  private readonly onSignal = (): void => {
    for (const jobId of this.watched) void this.cli.call('renders.cancel', { jobId }).catch(() => undefined);
  };

  constructor(private readonly cli: CliContext) {
    this.progress = createProgress(!cli.json);
    this.unsubscribe = cli.services().events.subscribe((event) => this.hear(event));
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  private hear(event: StudioEvent): void {
    if (event.type === 'job.progress' && this.watched.has(event.jobId))
      this.progress.update(event.done, event.total, event.stage);
    if (event.type === 'job.ended') {
      const outcome: JobOutcome = { status: event.status, ...(event.message ? { message: event.message } : {}) };
      this.outcomes.set(event.jobId, outcome);
      this.waiters.get(event.jobId)?.(outcome);
    }
  }

  /** Resolves with the job's outcome once it has ended. */
  wait(jobId: string): Promise<JobOutcome> {
    this.watched.add(jobId);
    const known = this.outcomes.get(jobId);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.waiters.set(jobId, resolve));
  }

  close(): void {
    this.progress.stop();
    this.unsubscribe();
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
  }
}
