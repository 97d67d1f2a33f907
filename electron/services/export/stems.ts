import { StudioFailure } from '../../contract';
import { renderWithSampler, type AudioData } from '../../audio';
import type { RenderRecord } from '../../library';
import type { RenderPlan } from '../render/plan';
import { SAMPLER_RATE, samplerRoom } from '../render/sampler-segment';

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
): Array<{ label: string; noteIndices: number[] }> {
  const notes = plan.performance.notes;
  if (kind === 'stems-hands') {
    return (['left', 'right'] as const)
      .map((hand) => ({ label: `${hand} hand`, noteIndices: notes.flatMap((n, i) => (n.hand === hand ? [i] : [])) }))
      .filter((g) => g.noteIndices.length > 0);
  }
  return plan.performance.tracks
    .map((t) => ({
      label: t.name || `track ${t.index + 1}`,
      noteIndices: notes.flatMap((n, i) => (n.track === t.index ? [i] : [])),
    }))
    .filter((g) => g.noteIndices.length > 0);
}

/** Each stem is its own render of part of the notes, with the same engine settings as the mix. */
export async function renderStems(
  render: RenderRecord,
  plan: RenderPlan,
  kind: 'stems-hands' | 'stems-tracks',
  frames: number,
): Promise<Stem[]> {
  if (render.engine !== 'sampler') {
    throw new StudioFailure(
      'unavailable',
      'stems of neural renders are not available yet: export the mix, or render stems with the sampled grand',
    );
  }
  const stems: Stem[] = [];
  for (const group of stemGroups(plan, kind)) {
    const audio = await renderWithSampler(plan.performance, {
      sampleRate: SAMPLER_RATE,
      channels: 2,
      room: samplerRoom(plan),
      noteIndices: group.noteIndices,
    });
    stems.push({ label: group.label, audio: fitLength(audio, frames) });
  }
  return stems;
}
