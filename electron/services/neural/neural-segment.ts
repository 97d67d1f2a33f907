import { StudioFailure } from '../../shared/failure';
import { assembleSegments, MODEL_SAMPLE_RATE } from '../../audio';
import type { SegmentInput } from '../../engine';
import { chosenTakes, setRenderDevice, type Library, type RenderRecord } from '../../library';
import { buildModelTokens, segmentNotes } from '../../midi';
import type { Performance, PerformedNote } from '../../shared/performance';
import type { ServiceContext } from '../handlers';
import type { RenderEngine, SegmentWork } from '../render/engine-binding';
import { planOf, promptPerformance, type RenderPlan } from '../render/plan';
import { takeFromAudio } from '../render/take-audio';
import { engineFor } from './engine-session';
import { findPack } from './pack-registry';
import { promptCodes } from './prompt-codes';
import { SegmentGroups } from './segment-groups';

function segmentInput(plan: RenderPlan, prompt: Performance, index: number, seed: number): SegmentInput {
  const segment = plan.segments[index]!;
  const tokens = buildModelTokens(prompt, segmentNotes(plan.performance, segment, { pedal: plan.params.pedal }));
  return {
    tokens: tokens.data,
    rows: tokens.rows,
    seed,
    expectedFrames: Math.ceil((segment.end - segment.start) * 50),
  };
}

const samplingOf = (plan: RenderPlan) => ({
  temperature: plan.params.sampling.temperature ?? 1,
  topK: plan.params.sampling.topK,
  topP: plan.params.sampling.topP,
});

const seedOf = (work: SegmentWork): number => {
  if (work.seed === null) throw new StudioFailure('runtime', 'the neural engine was given no seed for a segment');
  return work.seed;
};

/**
 * The neural engine as a render engine: MIDI-VALLE continues the performer's prompt over each
 * segment, with the seed the job derived for it. With a batch size above one, the segments the job
 * asks for next are generated together, and each is handed out as soon as its audio exists.
 */
export function neuralEngine(ctx: ServiceContext): RenderEngine {
  return {
    seeded: true,
    pack: async (packId) => {
      const { manifest } = await findPack(ctx.home, packId);
      return { id: manifest.id, version: manifest.version };
    },
    check: (plan) => assertModelInputs(ctx.library(), plan),
    async open(render) {
      const lib = ctx.library();
      const plan = planOf(lib, render);
      const pack = await findPack(ctx.home, render.packId);
      const { client, info } = await engineFor(ctx, pack, plan.params.device);
      setRenderDevice(lib, render.id, info.provider);
      const prompt = await promptCodes(lib, plan.performer, pack, client);
      const promptNotes = promptPerformance(lib, plan.performer);
      const batch = Math.max(1, plan.params.batch ?? 1);
      const groups = new SegmentGroups();
      return {
        voice: prompt.hash,
        async render(work, upcoming) {
          const index = work.segment.index;
          if (!groups.has(index)) {
            const group = [work, ...upcoming.filter((w) => !groups.has(w.segment.index)).slice(0, batch - 1)];
            const inputs = group.map((w) => segmentInput(plan, promptNotes, w.segment.index, seedOf(w)));
            groups.start(
              group.map((w) => w.segment.index),
              (onSegment) =>
                client.generate(
                  prompt,
                  inputs,
                  { sampling: samplingOf(plan), batchSize: batch },
                  { signal: work.signal, onSegment },
                ),
            );
          }
          // Resolves as soon as this segment exists; the rest of its group goes on in the engine.
          const result = await groups.take(index);
          // A model that stops at once gives no audio: the take is silence of the segment's length, and says so.
          const samples = result.audio.length
            ? result.audio
            : new Float32Array(Math.ceil((work.segment.end - work.segment.start) * MODEL_SAMPLE_RATE));
          return {
            ...(await takeFromAudio({ sampleRate: MODEL_SAMPLE_RATE, channels: [samples] })),
            codes: new Uint8Array(result.codes.buffer, result.codes.byteOffset, result.codes.byteLength),
          };
        },
      };
    },
  };
}

/** Fails before a render starts when a segment cannot be given to the model (e.g. past its bar limit). */
export function assertModelInputs(lib: Library, plan: RenderPlan): void {
  const prompt = promptPerformance(lib, plan.performer);
  for (const segment of plan.segments) segmentInput(plan, prompt, segment.index, 0);
}

/**
 * Part of a neural render (one hand, one track) generated on its own, segment by segment, with the
 * seeds of the takes the mix plays and the same prompt, then joined like the mix, so the stem lines
 * up with it. Segments where the part has no notes stay silent.
 */
export async function renderNeuralPart(
  ctx: ServiceContext,
  render: RenderRecord,
  plan: RenderPlan,
  keep: (note: PerformedNote) => boolean,
  totalSeconds: number,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const lib = ctx.library();
  const pack = await findPack(ctx.home, render.packId);
  const { client } = await engineFor(ctx, pack, plan.params.device);
  const prompt = await promptCodes(lib, plan.performer, pack, client);
  const promptNotes = promptPerformance(lib, plan.performer);
  // Each part regenerates with the very seed its segment's chosen take was generated with.
  const seeds = chosenTakes(lib, render.id).map((row) => row.take?.segmentSeed ?? null);
  const sampling = samplingOf(plan);
  const pieces: Array<{ start: number; audio: Float32Array }> = [];
  const inputs: SegmentInput[] = [];
  const indices: number[] = [];
  for (const segment of plan.segments) {
    const notes = segmentNotes(plan.performance, segment, { pedal: plan.params.pedal }).filter(keep);
    if (notes.length === 0) continue;
    const tokens = buildModelTokens(promptNotes, notes);
    const seed = seeds[segment.index];
    if (seed === null || seed === undefined)
      throw new StudioFailure('unavailable', `segment ${segment.index + 1} has no neural take to make a stem from`);
    inputs.push({ tokens: tokens.data, rows: tokens.rows, seed });
    indices.push(segment.index);
  }
  const results = inputs.length
    ? await client.generate(
        prompt,
        inputs,
        { sampling, batchSize: Math.max(1, plan.params.batch ?? 1) },
        signal ? { signal } : undefined,
      )
    : [];
  results.forEach((r, j) => pieces.push({ start: plan.segments[indices[j]!]!.start, audio: r.audio }));
  return assembleSegments(pieces, MODEL_SAMPLE_RATE, 'crossfade', { totalSeconds });
}
