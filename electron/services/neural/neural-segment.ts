import { assembleSegments, decodeAudio, MODEL_SAMPLE_RATE } from '../../audio';
import type { EngineClient, PromptCodes, SegmentInput, SegmentResult } from '../../engine';
import {
  chosenTakes,
  findPromptCodes,
  pendingSegmentIndices,
  putPromptCodes,
  setRenderDevice,
  type Library,
  type PerformerRecord,
  type RenderRecord,
} from '../../library';
import { buildModelTokens, segmentNotes } from '../../midi';
import type { Performance, PerformedNote } from '../../shared/performance';
import type { ServiceContext } from '../handlers';
import type { EngineBinding } from '../render/render-service';
import { promptPerformance, type RenderPlan } from '../render/plan';
import { takeFromAudio } from '../render/take-audio';
import { engineFor } from './engine-session';
import { findPack, type InstalledPack } from './pack-registry';

/** Codes of a performer's prompt under a pack: encoded once, then read from the library. */
async function promptCodes(
  lib: Library,
  performer: PerformerRecord,
  pack: InstalledPack,
  client: EngineClient,
): Promise<PromptCodes> {
  const id = { id: pack.manifest.id, version: pack.manifest.version };
  const cached = findPromptCodes(lib, performer.id, id);
  if (cached) {
    const bytes = lib.getBlob(cached);
    const codes = new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { codes, frames: codes.length / 4 };
  }
  const audio = await decodeAudio(lib.getBlob(performer.promptAudio.hash), `${performer.name} prompt.wav`);
  const prompt = await client.encodePrompt(audio.channels[0]!, audio.sampleRate);
  putPromptCodes(
    lib,
    performer.id,
    id,
    new Uint8Array(prompt.codes.buffer, prompt.codes.byteOffset, prompt.codes.byteLength),
  );
  return prompt;
}

/** Each segment draws from its own stream, derived from the take's seed, so a segment is reproducible alone. */
export const segmentSeed = (seed: number, index: number): number => (seed + Math.imul(index + 1, 0x9e3779b9)) >>> 0;

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

/**
 * The neural engine as a segment renderer: MIDI-VALLE continues the performer's prompt over each
 * segment. With a batch size above one, the next pending segments are generated together and
 * handed out as the job reaches them.
 */
export const neuralBinding: EngineBinding = async (ctx, render, plan, jobId) => {
  const lib = ctx.library();
  const pack = await findPack(ctx.home, render.packId);
  const { client, info } = await engineFor(ctx, pack, plan.params.device);
  setRenderDevice(lib, render.id, info.provider);
  const prompt = await promptCodes(lib, plan.performer, pack, client);
  const promptNotes = promptPerformance(lib, plan.performer);
  const sampling = {
    temperature: plan.params.sampling.temperature ?? 1,
    topK: plan.params.sampling.topK,
    topP: plan.params.sampling.topP,
  };
  const batch = Math.max(1, plan.params.batch ?? 1);
  const ready = new Map<number, SegmentResult>();

  return async (work) => {
    const index = work.segment.index;
    if (!ready.has(index)) {
      const ahead = pendingSegmentIndices(lib, jobId).filter((i) => i > index && !ready.has(i));
      const indices = [index, ...ahead.slice(0, batch - 1)];
      const results = await client.generate(
        prompt,
        indices.map((i) => segmentInput(plan, promptNotes, i, segmentSeed(work.seed, i))),
        { sampling, batchSize: batch },
        { signal: work.signal },
      );
      results.forEach((r, j) => ready.set(indices[j]!, r));
    }
    const result = ready.get(index)!;
    ready.delete(index);
    // A model that stops at once gives no audio: the take is silence of the segment's length, and says so.
    const samples = result.audio.length
      ? result.audio
      : new Float32Array(Math.ceil((work.segment.end - work.segment.start) * MODEL_SAMPLE_RATE));
    return {
      ...(await takeFromAudio({ sampleRate: MODEL_SAMPLE_RATE, channels: [samples] })),
      codes: new Uint8Array(result.codes.buffer, result.codes.byteOffset, result.codes.byteLength),
    };
  };
};

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
  const seeds = chosenTakes(lib, render.id).map((row) => row.take?.seed ?? render.seed);
  const sampling = {
    temperature: plan.params.sampling.temperature ?? 1,
    topK: plan.params.sampling.topK,
    topP: plan.params.sampling.topP,
  };
  const pieces: Array<{ start: number; audio: Float32Array }> = [];
  const inputs: SegmentInput[] = [];
  const indices: number[] = [];
  for (const segment of plan.segments) {
    const notes = segmentNotes(plan.performance, segment, { pedal: plan.params.pedal }).filter(keep);
    if (notes.length === 0) continue;
    const tokens = buildModelTokens(promptNotes, notes);
    inputs.push({
      tokens: tokens.data,
      rows: tokens.rows,
      seed: segmentSeed(seeds[segment.index] ?? render.seed, segment.index),
    });
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
