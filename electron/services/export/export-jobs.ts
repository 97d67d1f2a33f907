// Running exports: each one a caller names (jobId) can be followed through `export.progress` events
// and cancelled with `exports.cancel`. Exports run in the call itself, not in the render job queue,
// so an export never waits behind a long render.
import { StudioFailure } from '../../contract';
import type { Handler, ServiceContext } from '../handlers';

const PROGRESS_INTERVAL_MS = 100;

const running = new WeakMap<ServiceContext, Map<string, AbortController>>();

export interface ExportControl {
  signal: AbortSignal;
  /** Reports progress (0–1) at a stage; updates within a stage are throttled, and never go backwards. */
  progress(fraction: number, stage: string): void;
  /** Throws `cancelled` once the export has been cancelled. */
  check(): void;
  /**
   * Lets the host's event loop run (a cancel message arrives only then: the audio work itself is
   * synchronous), then checks. Called between the stages and files of an export.
   */
  pause(): Promise<void>;
  end(): void;
}

export function startExport(ctx: ServiceContext, jobId: string | undefined): ExportControl {
  const controller = new AbortController();
  const jobs = running.get(ctx) ?? new Map<string, AbortController>();
  running.set(ctx, jobs);
  if (jobId) {
    if (jobs.has(jobId)) throw new StudioFailure('invalid-argument', `an export named ${jobId} is already running`);
    jobs.set(jobId, controller);
  }
  let lastEmit = 0;
  let lastPercent = -1;
  let lastStage = '';
  const check = (): void => {
    if (controller.signal.aborted)
      throw new StudioFailure('cancelled', 'the export was cancelled; no file was written');
  };
  return {
    signal: controller.signal,
    check,
    async pause() {
      await new Promise<void>((resolve) => setImmediate(resolve));
      check();
    },
    progress(fraction, stage) {
      check();
      if (!jobId) return;
      const percent = Math.max(lastPercent, Math.min(100, Math.round(fraction * 1000) / 10));
      const now = Date.now();
      // A new stage always shows; within a stage, updates are throttled.
      if (stage === lastStage && percent < 100 && now - lastEmit < PROGRESS_INTERVAL_MS) return;
      lastEmit = now;
      lastPercent = percent;
      lastStage = stage;
      ctx.events.emit({ type: 'export.progress', jobId, stage, percent });
    },
    end() {
      if (jobId) jobs.delete(jobId);
    },
  };
}

export const exportsCancel: Handler<'exports.cancel'> = ({ jobId }, ctx) => {
  const controller = running.get(ctx)?.get(jobId);
  if (!controller || controller.signal.aborted) return { cancelled: false };
  controller.abort();
  return { cancelled: true };
};
