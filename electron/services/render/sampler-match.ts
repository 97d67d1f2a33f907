// Which performer match a sampled-grand render plays through. A render records its choice in its
// params when it starts: `match: '<profile version>'` (the version also lands in every take's cache
// key, so a refitted profile never reuses old takes) or `match: 'off'` for the plain grand. Renders
// made before profiles existed have no `match` and stay the plain grand.
import { ROOM_PRESETS, samplerRenderSeconds, type RoomPreset, type SamplerMatch } from '../../audio';
import { isNeutralProfile, profileMatch } from '../../audio/match';
import { getPerformer, type Json, type Library, type RenderRecord } from '../../library';
import { performerProfile, storedProfile } from '../performer-profile';
import type { RenderPlan } from './plan';

/** The sampled grand has no prompt to imitate; a performer's room tag picks its reverb. */
export function samplerRoom(plan: RenderPlan): RoomPreset {
  const room = plan.performer.tags.room?.toLowerCase() ?? '';
  return ROOM_PRESETS.find((preset) => room.includes(preset)) ?? 'dry';
}

/** The `match` render param for a new render (fitting the performer's profile first if needed). */
export async function matchParam(
  lib: Library,
  args: { performerId: string; engine: 'sampler' | 'neural'; match?: boolean },
): Promise<Json> {
  if (args.engine !== 'sampler') return {};
  if (args.match === false) return { match: 'off' };
  return { match: (await performerProfile(lib, getPerformer(lib, args.performerId))).version };
}

const matches = new Map<string, SamplerMatch>();

/** The match a render plays through, or undefined for the plain grand. Fits lazily when none is stored. */
export async function renderMatch(
  lib: Library,
  render: RenderRecord,
  plan: RenderPlan,
): Promise<SamplerMatch | undefined> {
  const wanted = render.params.match;
  if (typeof wanted !== 'string' || wanted === 'off') return undefined;
  const { profile, version } = await performerProfile(lib, plan.performer);
  if (isNeutralProfile(profile)) return undefined;
  let match = matches.get(version);
  if (!match) {
    match = profileMatch(profile);
    matches.set(version, match);
  }
  return match;
}

/** Room preset and match of a sampler render: a matched render takes its room from the profile. */
export async function samplerVoicing(
  lib: Library,
  render: RenderRecord,
  plan: RenderPlan,
): Promise<{ room: ReturnType<typeof samplerRoom>; match?: SamplerMatch }> {
  const match = await renderMatch(lib, render, plan);
  return match ? { room: 'dry', match } : { room: samplerRoom(plan) };
}

/** Length of a whole sampler render, the profile's room tail included (never fits). */
export function samplerRenderLength(lib: Library, render: RenderRecord, plan: RenderPlan): number {
  const wanted = render.params.match;
  const stored = typeof wanted === 'string' && wanted !== 'off' ? storedProfile(lib, plan.performer.id) : undefined;
  if (!stored || isNeutralProfile(stored.profile)) return samplerRenderSeconds(plan.performance, samplerRoom(plan));
  return samplerRenderSeconds(plan.performance, 'dry', profileMatch(stored.profile).tailSeconds);
}
