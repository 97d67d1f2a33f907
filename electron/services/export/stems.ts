import { renderWithSampler, type AudioData } from '../../audio';
import { StudioFailure } from '../../contract';
import type { RenderRecord } from '../../library';
import type { PerformedNote } from '../../shared/performance';
import type { ServiceContext } from '../handlers';
import { renderNeuralPart } from '../neural/neural-segment';
import type { RenderPlan } from '../render/plan';
import { samplerVoicing } from '../render/sampler-match';
import { SAMPLER_RATE } from '../render/sampler-segment';

export interface Stem {
  label: string;
  audio: AudioData;
}

/** Pads or trims every channel to `frames`, so stems line up sample for sample with the mix. */
export function fitLength(audio: AudioData, frames: number): AudioData {
  return {
    sampleRate: audio.sampleRate,
    channels: audio.channels.map((c) => {
      if (c.length === frames) return c;
      const out = new Float32Array(frames);
      out.set(c.subarray(0, frames));
      return out;
    }),
  };
}

/** Note groups of a stem export: per hand, or per track of the MIDI file. */
function stemGroups(
  plan: RenderPlan,
  kind: 'stems-hands' | 'stems-tracks',
): Array<{ label: string; keep: (n: PerformedNote) => boolean; noteIndices: number[] }> {
  const groups =
    kind === 'stems-hands'
      ? (['left', 'right'] as const).map((hand) => ({
          label: `${hand} hand`,
          keep: (n: PerformedNote) => n.hand === hand,
        }))
      : plan.performance.tracks.map((t) => ({
          label: t.name || `track ${t.index + 1}`,
          keep: (n: PerformedNote) => n.track === t.index,
        }));
  return groups
    .map((g) => ({ ...g, noteIndices: plan.performance.notes.flatMap((n, i) => (g.keep(n) ? [i] : [])) }))
    .filter((g) => g.noteIndices.length > 0);
}

/**
 * Each part is its own render of part of the notes with the mix's engine, performer and seeds:
 * the sampled grand renders the part directly; the neural engine generates it segment by segment.
 * These are the raw parts; `deliverStems` (delivery.ts) makes them add up to the mix.
 */
export async function renderStems(
  ctx: ServiceContext,
  render: RenderRecord,
  plan: RenderPlan,
  kind: 'stems-hands' | 'stems-tracks',
  mix: AudioData,
  options: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<Stem[]> {
  const frames = mix.channels[0]!.length;
  const stems: Stem[] = [];
  const groups = stemGroups(plan, kind);
  for (const [index, group] of groups.entries()) {
    const report = (fraction: number) => options.onProgress?.((index + fraction) / groups.length);
    // A cancel can only arrive while the event loop runs: give it a turn before each part.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) throw new StudioFailure('cancelled', 'the export was cancelled; no file was written');
    report(0);
    if (render.engine === 'neural') {
      const audio = await renderNeuralPart(ctx, render, plan, group.keep, frames / mix.sampleRate, options.signal);
      stems.push({ label: group.label, audio: fitLength({ sampleRate: mix.sampleRate, channels: [audio] }, frames) });
      continue;
    }
    const audio = await renderWithSampler(plan.performance, {
      sampleRate: SAMPLER_RATE,
      channels: 2,
      ...(await samplerVoicing(ctx.library(), render, plan)),
      noteIndices: group.noteIndices,
      onProgress: report,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    stems.push({ label: group.label, audio: fitLength(audio, frames) });
  }
  return stems;
}
