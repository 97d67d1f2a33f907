// A performer profile: what the sampled grand needs to sound like one performer's recording.
// Three parts, each a few bounded numbers (nothing that could copy the recording itself):
//   tone  — a smooth equaliser, one gain per third-octave band (29 bands, ±12 dB);
//   room  — a reverb given by its decay time per octave band and a wet level;
//   touch — how loud each velocity sounds, as dB at a few velocities (±12 dB, 0 at velocity 64).
import { createHash } from 'node:crypto';
import { interpolateBands, OCTAVE_CENTRES, THIRD_OCTAVE_CENTRES } from './bands';
import { convolveChannels } from '../convolve';
import { matchFilter, roomTailSeconds, toneFilter, type ProfileRoom } from './filters';

export type { ProfileRoom };

/** Bump when the fit or the way a profile is applied changes: stored profiles are then refitted. */
export const PROFILE_FORMAT = 1;

export const PROFILE_LIMITS = {
  toneDb: 12,
  touchDb: 12,
  decaySeconds: [0.1, 3] as const,
  wetDb: [-60, 0] as const,
};

/** The touch curve's velocities; the gain at 64 is fixed at 0 dB (level is the equaliser's business). */
export const TOUCH_VELOCITIES: readonly number[] = [16, 40, 64, 88, 112];

export interface ProfileAlignment {
  /** Correlation (0–1) of the recording's onsets with the prompt MIDI's onsets, as given. */
  score: number;
  /** Shift of the MIDI that would line it up best, in ms (positive: the audio is later). */
  lagMs: number;
  lowConfidence: boolean;
  warning: string | null;
}

export interface PerformerProfile {
  format: number;
  tone: { centres: number[]; gainsDb: number[] };
  room: ProfileRoom & { centres: number[] };
  touch: { velocities: number[]; gainsDb: number[] };
  /** How well the fit went: log-mel distances (dB) of the plain and the matched grand to the prompt. */
  fit: {
    sampleRate: number;
    /** The distances compare the recording from here on (just before the prompt's first note). */
    fromSeconds: number;
    distanceBeforeDb: number;
    distanceAfterDb: number;
    seconds: number;
  };
  alignment: ProfileAlignment;
}

/** The plain grand as a profile: flat tone, no room, even touch. */
export function neutralProfile(): Omit<PerformerProfile, 'fit' | 'alignment'> {
  return {
    format: PROFILE_FORMAT,
    tone: { centres: [...THIRD_OCTAVE_CENTRES], gainsDb: THIRD_OCTAVE_CENTRES.map(() => 0) },
    room: { centres: [...OCTAVE_CENTRES], decaySeconds: OCTAVE_CENTRES.map(() => 1), wetDb: -60, preDelayMs: 10 },
    touch: { velocities: [...TOUCH_VELOCITIES], gainsDb: TOUCH_VELOCITIES.map(() => 0) },
  };
}

/** True for the plain grand's profile (a fit that found nothing better): renders then play unmatched. */
export function isNeutralProfile(profile: Pick<PerformerProfile, 'tone' | 'room' | 'touch'>): boolean {
  return (
    profile.room.wetDb <= PROFILE_LIMITS.wetDb[0] &&
    profile.tone.gainsDb.every((g) => g === 0) &&
    profile.touch.gainsDb.every((g) => g === 0)
  );
}

export function touchGainDb(touch: PerformerProfile['touch'], velocity: number): number {
  return interpolateBands(touch.velocities, touch.gainsDb, velocity);
}

/** Identifies the numbers that change the sound (for render cache keys): 16 hex digits. */
export function profileVersion(profile: Pick<PerformerProfile, 'format' | 'tone' | 'room' | 'touch'>): string {
  const sound = { format: profile.format, tone: profile.tone, room: profile.room, touch: profile.touch };
  return createHash('sha256').update(JSON.stringify(sound)).digest('hex').slice(0, 16);
}

const finiteIn = (x: unknown, lo: number, hi: number): x is number =>
  typeof x === 'number' && Number.isFinite(x) && x >= lo - 1e-9 && x <= hi + 1e-9;

/** Checks a stored profile; undefined when it is missing, malformed or of an older format. */
export function readProfile(value: unknown): PerformerProfile | undefined {
  const p = value as PerformerProfile | null;
  if (!p || typeof p !== 'object' || p.format !== PROFILE_FORMAT) return undefined;
  const ok =
    p.tone?.gainsDb?.length === THIRD_OCTAVE_CENTRES.length &&
    p.tone.gainsDb.every((g) => finiteIn(g, -PROFILE_LIMITS.toneDb, PROFILE_LIMITS.toneDb)) &&
    p.room?.decaySeconds?.length === OCTAVE_CENTRES.length &&
    p.room.decaySeconds.every((d) => finiteIn(d, ...PROFILE_LIMITS.decaySeconds)) &&
    finiteIn(p.room.wetDb, ...PROFILE_LIMITS.wetDb) &&
    finiteIn(p.room.preDelayMs, 0, 100) &&
    p.touch?.gainsDb?.length === TOUCH_VELOCITIES.length &&
    p.touch.gainsDb.every((g) => finiteIn(g, -PROFILE_LIMITS.touchDb, PROFILE_LIMITS.touchDb)) &&
    typeof p.alignment?.lowConfidence === 'boolean';
  return ok ? p : undefined;
}

/** What the sampler needs to play through a profile (see SamplerMatch in ../sampler/render). */
export interface ProfileMatch {
  version: string;
  tailSeconds: number;
  noteGainDb(velocity: number): number;
  filter(channels: Float32Array[], sampleRate: number): Promise<Float32Array[]>;
}

/** The sampler hook of a profile; filters are built once per rate and channel. */
export function profileMatch(profile: Pick<PerformerProfile, 'format' | 'tone' | 'room' | 'touch'>): ProfileMatch {
  const filters = new Map<string, Float32Array>();
  const tones = new Map<number, Float32Array>();
  const filterOf = (sampleRate: number, channel: number): Float32Array => {
    const key = `${sampleRate}/${channel}`;
    let h = filters.get(key);
    if (!h) {
      let tone = tones.get(sampleRate);
      if (!tone) {
        tone = toneFilter(profile.tone.gainsDb, sampleRate);
        tones.set(sampleRate, tone);
      }
      h = matchFilter(tone, profile.room, sampleRate, channel);
      filters.set(key, h);
    }
    return h;
  };
  return {
    version: profileVersion(profile),
    tailSeconds: roomTailSeconds(profile.room),
    noteGainDb: (velocity) => touchGainDb(profile.touch, velocity),
    filter: (channels, sampleRate) =>
      convolveChannels(
        channels,
        channels.map((_, c) => filterOf(sampleRate, c)),
      ),
  };
}
