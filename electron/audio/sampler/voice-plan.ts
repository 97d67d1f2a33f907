// Turns a Performance into sampler voices: which sample each note plays, how loud, and when and how
// fast it stops. The plan is always made for the WHOLE performance (pedals, re-strikes and voice
// stealing depend on other notes), so rendering any subset of notes with it gives exactly the
// voices those notes have in the full render: segment renders add up to the whole.
import type { Performance, PerformedNote } from '../../shared/performance';
import { FIRST_UNDAMPED_PITCH, PedalTimeline } from './pedals';
import { nearestSampledPitch, VELOCITY_LAYERS, type VelocityLayer } from './sample-bank';

export interface Voice {
  noteIndex: number;
  pitch: number;
  sampledPitch: number;
  layer: VelocityLayer;
  /** Playback rate of the sample (pitch shift of at most ±1 semitone). */
  rate: number;
  gain: number;
  onset: number;
  /** The fade-out starts here (Infinity: the sample plays to its natural end). */
  stopAt: number;
  stopFadeSeconds: number;
  /** Damper fall time that triggers a release noise, or undefined for none. */
  releaseAt?: number;
  releaseGain: number;
}

export interface VoicePlanOptions {
  maxVoices?: number;
}

export const DEFAULT_MAX_VOICES = 128;
const RESTRIKE_FADE = 0.06;
const STEAL_FADE = 0.01;
const LAYER_STEP_DB = 1.6; // loudness difference between adjacent Salamander layers (measured peaks: v1 ≈ −25, v16 ≈ −1.4 dBFS)
const SOFT_PEDAL_VELOCITY = 10; // una corda: one layer darker…
const SOFT_PEDAL_DB = -1.5; // …and a little softer

/** Damper fade: longer in the bass, where the heavy strings take longer to stop. */
export function damperFadeSeconds(pitch: number): number {
  return 0.1 + (0.35 * Math.max(0, 96 - pitch)) / 75;
}

/** Nearest installed layer for a MIDI velocity, and the dB correction for the distance to it. */
export function layerForVelocity(velocity: number): { layer: VelocityLayer; correctionDb: number } {
  const position = (Math.max(1, Math.min(127, velocity)) + 4) / 8; // Salamander's 16 layers span 8 velocities each
  let layer: VelocityLayer = VELOCITY_LAYERS[0];
  for (const l of VELOCITY_LAYERS) if (Math.abs(position - l) < Math.abs(position - layer)) layer = l;
  return { layer, correctionDb: (position - layer) * LAYER_STEP_DB };
}

export function planVoices(performance: Performance, options: VoicePlanOptions = {}): Voice[] {
  const pedals = new PedalTimeline(performance.pedals);
  const maxVoices = options.maxVoices ?? DEFAULT_MAX_VOICES;
  const notes = performance.notes;
  const order = notes
    .map((_, i) => i)
    .sort((a, b) => notes[a]!.onset - notes[b]!.onset || notes[a]!.pitch - notes[b]!.pitch);
  const nextSamePitch = new Map<number, number>();
  const restrikeAt = new Float64Array(notes.length).fill(Infinity);
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    const p = notes[i]!.pitch;
    const next = nextSamePitch.get(p);
    if (next !== undefined) restrikeAt[i] = notes[next]!.onset;
    nextSamePitch.set(p, i);
  }
  const voices: Voice[] = order.map((i) => {
    const note: PerformedNote = notes[i]!;
    const soft = pedals.softAt(note.onset);
    const { layer, correctionDb } = layerForVelocity(note.velocity - (soft ? SOFT_PEDAL_VELOCITY : 0));
    const sampledPitch = nearestSampledPitch(note.pitch);
    const damper = pedals.damperTime(note);
    const restrike = restrikeAt[i]!;
    const damped = damper <= restrike;
    const gainDb = correctionDb + (soft ? SOFT_PEDAL_DB : 0);
    return {
      noteIndex: i,
      pitch: note.pitch,
      sampledPitch,
      layer,
      rate: Math.pow(2, (note.pitch - sampledPitch) / 12),
      gain: Math.pow(10, gainDb / 20),
      onset: note.onset,
      stopAt: damped ? damper : restrike,
      stopFadeSeconds: damped ? damperFadeSeconds(note.pitch) : RESTRIKE_FADE,
      releaseAt: damped && Number.isFinite(damper) && note.pitch < FIRST_UNDAMPED_PITCH ? damper : undefined,
      // Key-release noise: louder after hard, short notes; fades with the time the key was held.
      releaseGain:
        0.12 * Math.pow(note.velocity / 127, 1.5) * Math.max(0.15, Math.pow(10, (-4 * (damper - note.onset)) / 20)),
    };
  });
  stealVoices(voices, maxVoices);
  return voices.sort((a, b) => a.noteIndex - b.noteIndex);
}

/**
 * Caps polyphony: when a note starts with `maxVoices` already sounding, the voice that is furthest
 * along (released ones first, then the oldest) is faded out over 10 ms. Natural sample ends are not
 * known here, so a voice counts as sounding until its stop fade ends or 9 s have passed.
 */
function stealVoices(voicesByOnset: Voice[], maxVoices: number): void {
  const active: Voice[] = [];
  const endOf = (v: Voice): number => Math.min(v.stopAt + v.stopFadeSeconds, v.onset + 9);
  for (const voice of voicesByOnset) {
    for (let k = active.length - 1; k >= 0; k--) if (endOf(active[k]!) <= voice.onset) active.splice(k, 1);
    if (active.length >= maxVoices) {
      let victim = 0;
      const rank = (v: Voice): number => (v.stopAt <= voice.onset ? -1e9 : 0) + v.onset;
      for (let k = 1; k < active.length; k++) if (rank(active[k]!) < rank(active[victim]!)) victim = k;
      const stolen = active[victim]!;
      // A voice already fading keeps its fade (re-timing it mid-way would click); it ends soon anyway.
      if (stolen.stopAt > voice.onset) {
        stolen.stopAt = voice.onset;
        stolen.stopFadeSeconds = STEAL_FADE;
        stolen.releaseAt = undefined;
      }
      active.splice(victim, 1);
    }
    active.push(voice);
  }
}
