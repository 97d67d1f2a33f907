import { renderWithSampler, type SamplerMatch } from '../../audio';
import type { Library } from '../../library';
import type { RenderEngine, RenderedSegment, SegmentWork } from './engine-binding';
import { planOf, type RenderPlan } from './plan';
import { renderMatch, samplerRoom } from './sampler-match';
import { takeFromAudio } from './take-audio';

export const SAMPLER_RATE = 48000;

const SAMPLER_PACK = { id: 'sampled-grand', version: '1' };

/**
 * Renders one segment with the sampled grand: the notes that start in it, from its start, with their
 * tails ringing past its end. The sampler is linear, so segment renders summed at their starts
 * equal a render of the whole piece. With a performer `match` the profile's room replaces the preset.
 */
export async function renderSamplerSegment(
  plan: RenderPlan,
  work: Pick<SegmentWork, 'segment' | 'signal'>,
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

/**
 * The sampled grand as a render engine. It is deterministic: a segment's audio depends on its notes
 * and the performer's room, never on a seed, so regenerating it gives the take it already has.
 */
export function samplerEngine(library: () => Library): RenderEngine {
  return {
    seeded: false,
    pack: async () => SAMPLER_PACK,
    async open(render) {
      const lib = library();
      const plan = planOf(lib, render);
      // The profile's version is in the render's params (and so in every cache key); the room is the voice.
      const match = await renderMatch(lib, render, plan);
      return {
        voice: `room:${samplerRoom(plan)}`,
        render: (work) => renderSamplerSegment(plan, work, match),
      };
    },
  };
}
