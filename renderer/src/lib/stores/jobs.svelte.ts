// Progress of running jobs, kept from the services' job events.
import type { StudioEvent } from '../../../../electron/contract';

export interface JobState {
  jobId: string;
  renderId?: string;
  stage: string;
  done: number;
  total: number;
  etaSeconds: number | null;
  segmentIndex?: number;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  message?: string;
}

class Jobs {
  byId = $state<Record<string, JobState>>({});

  apply(event: StudioEvent): void {
    if (event.type === 'job.progress') {
      this.byId[event.jobId] = {
        jobId: event.jobId,
        renderId: event.renderId ?? this.byId[event.jobId]?.renderId,
        stage: event.stage,
        done: event.done,
        total: event.total,
        etaSeconds: event.etaSeconds,
        segmentIndex: event.segmentIndex,
        status: 'running',
      };
    } else if (event.type === 'job.ended') {
      const previous = this.byId[event.jobId];
      this.byId[event.jobId] = {
        jobId: event.jobId,
        renderId: event.renderId ?? previous?.renderId,
        stage: previous?.stage ?? '',
        done: previous?.done ?? 0,
        total: previous?.total ?? 0,
        etaSeconds: null,
        status: event.status,
        message: event.message,
      };
    }
  }

  /** A job the view started, known before its first event arrives. */
  started(jobId: string, renderId?: string): void {
    this.byId[jobId] ??= {
      jobId,
      renderId,
      stage: 'Starting…',
      done: 0,
      total: 0,
      etaSeconds: null,
      status: 'running',
    };
  }

  /** The newest running job of a render (its render or a regeneration), if any. */
  runningFor(renderId: string | undefined): JobState | undefined {
    if (!renderId) return undefined;
    return Object.values(this.byId)
      .filter((j) => j.renderId === renderId && j.status === 'running')
      .at(-1);
  }

  get(jobId: string | null | undefined): JobState | undefined {
    return jobId ? this.byId[jobId] : undefined;
  }
}

export const jobs = new Jobs();
