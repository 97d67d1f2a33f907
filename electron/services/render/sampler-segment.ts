import { renderWithSampler, ROOM_PRESETS, type RoomPreset } from '../../audio';
import type { Library } from '../../library';
import type { RenderEngine, RenderedSegment, SegmentWork } from './engine-binding';
import { planOf, type RenderPlan } from './plan';
import { takeFromAudio } from './take-audio';

export const SAMPLER_RATE = 48000;

const SAMPLER_PACK = { id: 'sampled-grand', version: '1' };

/** The sampled grand has no prompt to imitate; a performer's room tag picks its reverb. */
export function samplerRoom(plan: RenderPlan): RoomPreset {
  const room = plan.performer.tags.room?.toLowerCase() ?? '';
  return ROOM_PRESETS.find((preset) => room.includes(preset)) ?? 'dry';
}

/**
 * Renders one segment with the sampled grand: the notes that start in it, from its start, with their
 * tails ringing past its end. The sampler is linear, so segment renders summed at their starts
 * equal a render of the whole piece.
 */
export async function renderSamplerSegment(
  plan: RenderPlan,
  work: Pick<SegmentWork, 'segment' | 'signal'>,
): Promise<RenderedSegment> {
  const segment = plan.segments[work.segment.index]!;
  const audio = await renderWithSampler(plan.performance, {
    sampleRate: SAMPLER_RATE,
    channels: 2,
    room: samplerRoom(plan),
    noteIndices: segment.noteIndices,
    from: segment.start,
    signal: work.signal,
  });
  return takeFromAudio(audio);
}

/**
 * The sampled grand as a render engine. It is deterministic: a segment's audio depends on its notes
 * and the performer's room, never on a seed, so regenerating it gives the take it already has.
 */
export function samplerEngine(library: () => Library): RenderEngine {
  return {
    seeded: false,
    pack: async () => SAMPLER_PACK,
    async open(render) {
      const plan = planOf(library(), render);
      return {
        voice: `room:${samplerRoom(plan)}`,
        render: (work) => renderSamplerSegment(plan, work),
      };
    },
  };
}
