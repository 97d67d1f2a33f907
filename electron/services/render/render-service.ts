import { StudioFailure } from '../../contract';
import {
  createRenderJob,
  getJob,
  getRender,
  listJobs,
  queueRender,
  resumableJobs,
  runRenderJob,
  type Library,
  type RenderRecord,
  type SegmentRenderer,
} from '../../library';
import type { ServiceContext } from '../handlers';
import { assertModelInputs, neuralBinding } from '../neural/neural-segment';
import { findPack } from '../neural/pack-registry';
import { renderMix } from './mix';
import { planOf, planRender, segmentInputHash, type RenderParams, type RenderPlan } from './plan';
import { renderMatch } from './sampler-match';
import { renderSamplerSegment } from './sampler-segment';

export interface StartRenderOptions {
  pieceId: string;
  performerId: string;
  engine: 'sampler' | 'neural';
  packId?: string;
  seed?: number;
  params: RenderParams;
}

/** Builds the segment renderer of a render's engine. */
export type EngineBinding = (
  ctx: ServiceContext,
  render: RenderRecord,
  plan: RenderPlan,
  jobId: string,
) => Promise<SegmentRenderer>;

const SAMPLER_PACK = { id: 'sampled-grand', version: '1' };

const samplerBinding: EngineBinding = async (ctx, render, plan) => {
  const match = await renderMatch(ctx.library(), render, plan);
  return (work) => renderSamplerSegment(plan, work, match);
};

const randomSeed = (): number => Math.floor(Math.random() * 0xffffffff);

/** Records a render, its segments and its job, and starts the job in the background. */
export async function startRender(
  ctx: ServiceContext,
  options: StartRenderOptions,
): Promise<{ renderId: string; jobId: string }> {
  const lib = ctx.library();
  const plan = planRender(lib, options.pieceId, options.performerId, options.params);
  const pack = options.engine === 'sampler' ? SAMPLER_PACK : (await findPack(ctx.home, options.packId)).manifest;
  if (options.engine === 'neural') assertModelInputs(lib, plan);
  // Render and job in one transaction: a kill between them must not leave a render nothing can resume.
  const { render, job } = queueRender(lib, {
    pieceId: plan.piece.id,
    performerId: plan.performer.id,
    engine: options.engine,
    pack: { id: pack.id, version: pack.version },
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
  launchJob(ctx, job.id, render.id);
  ctx.events.emit({ type: 'library.changed', what: 'renders' });
  return { renderId: render.id, jobId: job.id };
}

/** New takes for some segments, with a new seed unless one is given. */
export function regenerateSegments(
  ctx: ServiceContext,
  renderId: string,
  indices: number[],
  seed?: number,
): { jobId: string } {
  const lib = ctx.library();
  getRender(lib, renderId);
  const job = createRenderJob(lib, renderId, {
    segments: [...new Set(indices)].sort((a, b) => a - b),
    seed: seed ?? randomSeed(),
  });
  launchJob(ctx, job.id, renderId);
  return { jobId: job.id };
}

/** Runs a job in the job manager: segment by segment, then the mix. */
export function launchJob(ctx: ServiceContext, jobId: string, renderId: string): void {
  ctx.jobs.start({
    jobId,
    renderId,
    run: async (control) => {
      await runJobNow(ctx.library(), ctx, jobId, control.signal, (done, total, segmentIndex) =>
        control.progress(done, total, `segment ${Math.min(done + 1, total)} of ${total}`, segmentIndex),
      );
      ctx.events.emit({ type: 'render.updated', renderId });
    },
  });
}

/** Runs (or resumes) one job to its end in this process; the CLI awaits this directly. */
export async function runJobNow(
  lib: Library,
  ctx: ServiceContext,
  jobId: string,
  signal?: AbortSignal,
  onProgress?: (done: number, total: number, segmentIndex: number) => void,
): Promise<void> {
  const job = getJob(lib, jobId);
  if (!job.renderId) throw new StudioFailure('invalid-argument', `job ${jobId} is not a render job`);
  const render = getRender(lib, job.renderId);
  const plan = planOf(lib, render);
  const binding = render.engine === 'sampler' ? samplerBinding : neuralBinding;
  const renderer = await binding(ctx, render, plan, jobId);
  onProgress?.(job.done, job.total, -1);
  const finished = await runRenderJob(lib, jobId, renderer, {
    signal,
    onProgress: (p) => {
      onProgress?.(p.done, p.total, p.segmentIndex);
      ctx.events.emit({ type: 'render.updated', renderId: render.id });
    },
  });
  if (finished.status === 'failed') throw new StudioFailure('runtime', finished.error ?? 'the render failed');
  if (finished.status === 'cancelled') throw new StudioFailure('cancelled', 'the render was cancelled');
  await renderMix(lib, getRender(lib, render.id), plan);
}

/** Starts again every unfinished job of one render (interrupted, cancelled or failed). */
export function resumeRender(ctx: ServiceContext, renderId: string): string[] {
  const lib = ctx.library();
  getRender(lib, renderId);
  const jobs = listJobs(lib, { renderId, status: ['interrupted', 'cancelled', 'failed', 'queued'] }).filter(
    (j) => !ctx.jobs.isRunning(j.id),
  );
  for (const job of jobs) launchJob(ctx, job.id, renderId);
  return jobs.map((j) => j.id);
}

/** Jobs a crash or kill interrupted: started again, segment by segment, where they stopped. */
export function resumeInterruptedJobs(ctx: ServiceContext): string[] {
  const lib = ctx.library();
  const jobs = resumableJobs(lib).filter((j) => j.status === 'interrupted' && j.renderId);
  for (const job of jobs) launchJob(ctx, job.id, job.renderId!);
  return jobs.map((j) => j.id);
}
