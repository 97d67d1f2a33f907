import { StudioFailure } from '../../contract';
import { chooseTake, getRender, listRenders, renderIdOfTake, setTakeLocked } from '../../library';
import type { Handler } from '../handlers';
import { renderMix } from './mix';
import { planOf } from './plan';
import { renderDetail, renderSummary } from './render-view';
import { matchParam } from './sampler-match';

export const rendersStart: Handler<'renders.start'> = async (args, ctx) =>
  ctx.jobs.start({
    pieceId: args.pieceId,
    performerId: args.performerId,
    engine: args.engine,
    packId: args.packId,
    seed: args.seed,
    params: {
      segmenter: args.segmenter ?? 'musical',
      pedal: args.pedal ?? 'ignore',
      sampling: args.sampling ?? {},
      ...(args.batch ? { batch: args.batch } : {}),
      ...(args.device ? { device: args.device } : {}),
      ...(await matchParam(ctx.library(), args)),
    },
  });

export const rendersCancel: Handler<'renders.cancel'> = (args, ctx) => ({ cancelled: ctx.jobs.cancel(args.jobId) });

export const rendersResume: Handler<'renders.resume'> = (args, ctx) => ({ jobIds: ctx.jobs.resume(args.id) });

export const rendersList: Handler<'renders.list'> = (args, ctx) => {
  const lib = ctx.library();
  return listRenders(lib, { pieceId: args.pieceId, projectId: args.projectId })
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((r) => renderSummary(lib, r, r));
};

export const rendersGet: Handler<'renders.get'> = (args, ctx) => renderDetail(ctx, args.id);

export const segmentsRegenerate: Handler<'segments.regenerate'> = (args, ctx) =>
  ctx.jobs.regenerate(args.renderId, args.segmentIndices, {
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.skipLocked ? { skipLocked: true } : {}),
  });

export const takesChoose: Handler<'takes.choose'> = async (args, ctx) => {
  const lib = ctx.library();
  chooseTake(lib, args.takeId);
  const renderId = renderIdOfTake(lib, args.takeId);
  ctx.events.emit({ type: 'render.updated', renderId });
  return renderDetail(ctx, renderId);
};

export const takesLock: Handler<'takes.lock'> = (args, ctx) => {
  const lib = ctx.library();
  const { take, chosenChanged } = setTakeLocked(lib, args.takeId, args.locked);
  // Locking a take that was not chosen makes it the chosen one: the mix follows, as after takes.choose.
  if (chosenChanged) ctx.events.emit({ type: 'render.updated', renderId: renderIdOfTake(lib, args.takeId) });
  return { locked: take.locked };
};

export const rendersAnalysis: Handler<'renders.analysis'> = async (args, ctx) => {
  const lib = ctx.library();
  const render = getRender(lib, args.id);
  const mix = await renderMix(lib, render, planOf(lib, render));
  if (!mix)
    throw new StudioFailure('unavailable', 'the render is not complete yet; wait for every segment to have a take');
  return { integrated: mix.loudness, truePeak: mix.truePeak, curve: { hop: 0.1, lufs: mix.curve } };
};
