import { StudioFailure } from '../../contract';
import { chooseTake, getRender, getTake, listRenders, renderIdOfTake, setTakeLocked } from '../../library';
import type { Handler } from '../handlers';
import { renderMix } from './mix';
import { planOf } from './plan';
import { regenerateSegments, resumeRender, startRender } from './render-service';
import { matchParam } from './sampler-match';
import { renderDetail, renderSummary } from './render-view';

export const rendersStart: Handler<'renders.start'> = async (args, ctx) =>
  startRender(ctx, {
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

export const rendersResume: Handler<'renders.resume'> = (args, ctx) => ({ jobIds: resumeRender(ctx, args.id) });

export const rendersList: Handler<'renders.list'> = (args, ctx) => {
  const lib = ctx.library();
  return listRenders(lib, args.pieceId ? { pieceId: args.pieceId } : {})
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((r) => renderSummary(lib, r, r));
};

export const rendersGet: Handler<'renders.get'> = (args, ctx) => renderDetail(ctx, args.id);

export const segmentsRegenerate: Handler<'segments.regenerate'> = (args, ctx) => {
  const lib = ctx.library();
  const render = getRender(lib, args.renderId);
  const count = planOf(lib, render).segments.length;
  const bad = args.segmentIndices.filter((i) => i >= count);
  if (bad.length)
    throw new StudioFailure('invalid-argument', `render has segments 0–${count - 1}; no segment ${bad.join(', ')}`);
  return regenerateSegments(ctx, args.renderId, args.segmentIndices, args.seed);
};

export const takesChoose: Handler<'takes.choose'> = async (args, ctx) => {
  const lib = ctx.library();
  chooseTake(lib, args.takeId);
  const renderId = renderIdOfTake(lib, args.takeId);
  ctx.events.emit({ type: 'render.updated', renderId });
  return renderDetail(ctx, renderId);
};

export const takesLock: Handler<'takes.lock'> = (args, ctx) => {
  getTake(ctx.library(), args.takeId);
  return { locked: setTakeLocked(ctx.library(), args.takeId, args.locked).locked };
};

export const rendersAnalysis: Handler<'renders.analysis'> = async (args, ctx) => {
  const lib = ctx.library();
  const render = getRender(lib, args.id);
  const mix = await renderMix(lib, render, planOf(lib, render));
  if (!mix)
    throw new StudioFailure('unavailable', 'the render is not complete yet; wait for every segment to have a take');
  return { integrated: mix.loudness, truePeak: mix.truePeak, curve: { hop: 0.1, lufs: mix.curve } };
};
