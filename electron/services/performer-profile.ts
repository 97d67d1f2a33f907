// The performer profile service: the stored profile of a performer, fitted on first use when it is
// missing or was made by an older fit (demo performers and libraries from before profiles existed),
// and fitted right away when a performer is added.
import { loadModelAudio, ROOM_PRESETS } from '../audio';
import { fitProfile, PROFILE_FORMAT, profileVersion, readProfile, type PerformerProfile } from '../audio/match';
import { getPerformerProfile, putPerformerProfile, type Library, type PerformerRecord } from '../library';
import { importMidi } from '../midi';

export interface ProfileOfPerformer {
  profile: PerformerProfile;
  version: string;
}

/** Fits in progress, so two renders starting together fit a performer once. */
const fitting = new Map<string, Promise<ProfileOfPerformer>>();

/** The performer's profile if one of this app's format is stored; never fits. */
export function storedProfile(lib: Library, performerId: string): ProfileOfPerformer | undefined {
  const stored = getPerformerProfile(lib, performerId);
  const profile = stored && stored.format === PROFILE_FORMAT ? readProfile(stored.profile) : undefined;
  return profile && stored ? { profile, version: stored.version } : undefined;
}

/** The performer's profile, fitting (and storing) it from the prompt when needed. */
export async function performerProfile(lib: Library, performer: PerformerRecord): Promise<ProfileOfPerformer> {
  const stored = storedProfile(lib, performer.id);
  if (stored) return stored;
  let running = fitting.get(performer.id);
  if (!running) {
    running = fitAndStore(lib, performer).finally(() => fitting.delete(performer.id));
    fitting.set(performer.id, running);
  }
  return running;
}

async function fitAndStore(lib: Library, performer: PerformerRecord): Promise<ProfileOfPerformer> {
  const audio = await loadModelAudio(lib.getBlob(performer.promptAudio.hash), `${performer.name} prompt.wav`);
  const { performance } = importMidi(lib.getBlob(performer.promptMidiHash), `${performer.name} prompt.mid`);
  // Unmatched, a performer plays in the room its tag names (as render/sampler-segment.ts does).
  const tag = performer.tags.room?.toLowerCase() ?? '';
  const room = ROOM_PRESETS.find((preset) => tag.includes(preset)) ?? 'dry';
  const profile = await fitProfile({ audio: audio.channels[0]!, sampleRate: audio.sampleRate, performance, room });
  const version = profileVersion(profile);
  putPerformerProfile(lib, performer.id, {
    format: profile.format,
    version,
    profile,
    lowConfidence: profile.alignment.lowConfidence,
  });
  return { profile, version };
}
