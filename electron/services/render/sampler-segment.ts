import { renderWithSampler, ROOM_PRESETS, type RoomPreset, type SamplerMatch } from '../../audio';
import type { RenderedSegment, SegmentWork } from '../../library';
import type { RenderPlan } from './plan';
import { takeFromAudio } from './take-audio';

export const SAMPLER_RATE = 48000;

/** The sampled grand has no prompt to imitate; a performer's room tag picks its reverb. */
export function samplerRoom(plan: RenderPlan): RoomPreset {
  const room = plan.performer.tags.room?.toLowerCase() ?? '';
  return ROOM_PRESETS.find((preset) => room.includes(preset)) ?? 'dry';
}

/**
 * Renders one segment with the sampled grand: the notes that start in it, from its start, with their
 * tails ringing past its end. The sampler is linear, so segment renders summed at their starts
 * equal a render of the whole piece. With a performer `match` the profile's room replaces the preset.
 */
export async function renderSamplerSegment(
  plan: RenderPlan,
  work: SegmentWork,
  match?: SamplerMatch,
): Promise<RenderedSegment> {
  const segment = plan.segments[work.segment.index]!;
  const audio = await renderWithSampler(plan.performance, {
    sampleRate: SAMPLER_RATE,
    channels: 2,
    room: match ? 'dry' : samplerRoom(plan),
    match,
    noteIndices: segment.noteIndices,
    from: segment.start,
    signal: work.signal,
  });
  return takeFromAudio(audio);
}
