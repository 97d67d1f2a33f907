import type { RenderDetail, RenderSummary, TakeSummary } from '../../contract/methods/renders';
import {
  getRender,
  listJobs,
  listRenders,
  listSegments,
  listTakes,
  type Library,
  type RenderRecord,
  type RenderSummary as ListedRender,
  type TakeListing,
} from '../../library';
import type { ServiceContext } from '../handlers';
import { renderMix } from './mix';
import { planOf } from './plan';

const ENGINE_LABELS = { sampler: 'Sampled grand (non-neural)', neural: 'MIDI-VALLE (neural)' } as const;

function statusOf(render: RenderRecord): RenderSummary['status'] {
  return render.status === 'rendering' ? 'running' : render.status;
}

/** The library's listing of one render (it carries the piece title and performer name). */
function listedRender(lib: Library, render: RenderRecord): ListedRender | undefined {
  return listRenders(lib, { pieceId: render.pieceId }).find((r) => r.id === render.id);
}

/** A render as the views see it; `listed` is the library's row when the caller already has it. */
export function renderSummary(lib: Library, render: RenderRecord, listed = listedRender(lib, render)): RenderSummary {
  const activeJob = listJobs(lib, { renderId: render.id, status: ['queued', 'running', 'interrupted'] })[0];
  return {
    id: render.id,
    name: render.name,
    pieceId: render.pieceId,
    pieceTitle: listed?.pieceTitle ?? '',
    performerId: render.performerId ?? '',
    performerName: listed?.performerName ?? '(removed)',
    engine: render.engine,
    engineLabel: ENGINE_LABELS[render.engine],
    packId: render.engine === 'neural' ? render.packId : null,
    provider: render.device,
    seed: render.seed,
    status: statusOf(render),
    jobId: activeJob?.id ?? null,
    createdAt: new Date(render.createdAt).toISOString(),
    error: render.error,
    segmentCount: listed?.segmentCount ?? 0,
    segmentsDone: listed?.segmentsWithTake ?? 0,
    sampling: (render.params.sampling as RenderSummary['sampling']) ?? {},
  };
}

const takeSummary = (t: TakeListing): TakeSummary => ({
  id: t.id,
  segmentIndex: t.segmentIndex,
  seed: t.seed,
  segmentSeed: t.segmentSeed,
  createdAt: new Date(t.createdAt).toISOString(),
  chosen: t.chosen,
  locked: t.locked,
  duration: t.duration,
  loudness: t.loudnessLufs,
  audio: t.audioHash,
});

export async function renderDetail(ctx: ServiceContext, renderId: string): Promise<RenderDetail> {
  const lib = ctx.library();
  const render = getRender(lib, renderId);
  const plan = planOf(lib, render);
  const takes = listTakes(lib, renderId);
  const running = render.status === 'rendering' || render.status === 'queued';
  let firstPending = true;
  // The render's own segments as stored (the plan recomputes the same ones for a render made here).
  const segments = listSegments(lib, renderId).map((s) => {
    const own = takes.filter((t) => t.segmentIndex === s.index);
    let status: RenderDetail['segments'][number]['status'] = own.length ? 'done' : 'pending';
    if (!own.length && running && firstPending) {
      status = 'running';
      firstPending = false;
    }
    if (!own.length && render.status === 'failed') status = 'failed';
    return {
      index: s.index,
      number: s.index + 1,
      start: s.start,
      end: s.end,
      noteCount: plan.segments[s.index]?.noteIndices.length ?? 0,
      status,
      takes: own.map(takeSummary),
    };
  });
  const mix = render.status === 'rendering' ? undefined : await renderMix(lib, render, plan);
  return {
    ...renderSummary(lib, render),
    segments,
    mix: mix
      ? {
          audio: mix.audio,
          duration: mix.duration,
          sampleRate: mix.sampleRate,
          loudness: mix.loudness,
          peaks: mix.peaks,
        }
      : null,
  };
}
