// The sampled grand: renders a Performance (or the notes of one segment) by playing Salamander
// samples. Deterministic: the same input always gives the same samples.
//
// Segment renders: with `noteIndices` and `from`, the audio starts at `from` seconds and runs until
// the selected notes (and the room's tail) have died away, capped at the whole render's end. Summing
// segment renders at their `from` offsets reproduces the whole render, because every voice is planned
// on the whole performance and the room is linear.
import type { Performance } from '../../shared/performance';
import type { AudioData } from '../audio-data';
import { StudioFailure } from '../../shared/failure';
import { PedalTimeline } from './pedals';
import { applyRoom, roomTailSeconds, type RoomPreset } from './reverb';
import { noteSample, releaseSample, type StoredSample } from './sample-bank';
import { planVoices, type Voice } from './voice-plan';

export interface SamplerOptions {
  /** Output rate, default 48000. */
  sampleRate?: number;
  /** 2 (default) or 1 (mono; 32000 mono is the neural engine's format). */
  channels?: 1 | 2;
  room?: RoomPreset;
  maxVoices?: number;
  /** Render only these notes (indices into performance.notes); default all. */
  noteIndices?: number[];
  /** Seconds where the returned audio starts; default 0. */
  from?: number;
  /**
   * Seconds where the returned audio stops: with it the result is exactly the window [from, to) of
   * the whole render (every voice sounding in it, tails cut at `to`), so windows rendered one after
   * another join sample for sample. The studio's instant preview streams such windows.
   */
  to?: number;
  /** Reports progress 0..1 while mixing voices. */
  onProgress?: (fraction: number) => void;
  /** Checked between voices; throw StudioFailure('cancelled') to stop. */
  signal?: AbortSignal;
  /** Plays through a performer's match (touch per note, then tone and room); default the plain grand. */
  match?: SamplerMatch;
}

/**
 * A linear, time-invariant and causal post-process plus per-note gains (a performer profile, see
 * ../match). Causality keeps segment renders additive; the filter's tail lengthens the render.
 */
export interface SamplerMatch {
  tailSeconds: number;
  noteGainDb(velocity: number): number;
  filter(channels: Float32Array[], sampleRate: number): Promise<Float32Array[]>;
}

/** Seconds the render continues after Performance.duration: damper fades and key noises die away. */
export const DRY_RELEASE_TAIL_SECONDS = 1.5;
/** Level of the mix bus: a single fortissimo note peaks near −1.4 dBFS, so chords need headroom. */
const MASTER_GAIN = 0.5;
const END_FADE_SECONDS = 0.25;
/** Longest a key-release noise rings, for choosing the voices of a window. */
const RELEASE_RING = 4;

/** Release tail of a render in this room: the dry tail plus the room's reverb tail. */
export function samplerTailSeconds(room: RoomPreset = 'dry'): number {
  return DRY_RELEASE_TAIL_SECONDS + roomTailSeconds(room);
}

/**
 * When the music ends: the last moment a key or a pedal holds a note. Pedal movements after every
 * note has been released (a pianist lifting the foot at the end) do not lengthen the render; a pedal
 * that is never released holds until Performance.duration.
 */
export function musicEndSeconds(performance: Performance): number {
  if (performance.notes.length === 0) return performance.duration;
  const pedals = new PedalTimeline(performance.pedals);
  let end = 0;
  for (const note of performance.notes) {
    const held = pedals.heldUntil(note);
    end = Math.max(end, note.offset, Number.isFinite(held) ? held : performance.duration);
  }
  return end;
}

/** Time a damper fade plus a key-release noise need after the last pedal release. */
const PEDAL_RELEASE_TAIL_SECONDS = 0.75;

/**
 * Length in seconds of a whole-performance render: the last note-off plus the release tail, or, when
 * a pedal holds notes beyond that, the pedal release plus the time its dampers need (plus the room).
 */
export function samplerRenderSeconds(performance: Performance, room: RoomPreset = 'dry', matchTailSeconds = 0): number {
  const lastNoteOff = performance.notes.reduce((t, n) => Math.max(t, n.offset), 0);
  const dry = Math.max(
    lastNoteOff + DRY_RELEASE_TAIL_SECONDS,
    musicEndSeconds(performance) + PEDAL_RELEASE_TAIL_SECONDS,
  );
  return dry + roomTailSeconds(room) + matchTailSeconds;
}

/** Adds one voice into `out` (frames counted from `fromFrame`), with cubic Hermite interpolation. */
function mixVoice(
  out: Float32Array[],
  sample: StoredSample,
  startFrame: number, // absolute frame of the voice's first sample
  rate: number,
  gain: number,
  stopFrame: number, // absolute frame where the fade-out begins
  fadeFrames: number,
  fromFrame: number,
): void {
  const total = out[0]!.length;
  const lastPos = sample.length - 3;
  const voiceFrames = Math.floor(lastPos / rate);
  const endAbs = Math.min(startFrame + voiceFrames, stopFrame + fadeFrames);
  const begin = Math.max(0, startFrame - fromFrame);
  const end = Math.min(total, endAbs - fromFrame);
  for (let c = 0; c < out.length; c++) {
    const data = sample.data[Math.min(c, sample.data.length - 1)]!;
    const target = out[c]!;
    const amp = gain * sample.scale;
    for (let o = begin; o < end; o++) {
      const abs = o + fromFrame;
      const pos = (abs - startFrame) * rate;
      const i = Math.floor(pos);
      const f = pos - i;
      const y0 = i > 0 ? data[i - 1]! : data[0]!;
      const y1 = data[i]!;
      const y2 = data[i + 1]!;
      const y3 = data[i + 2]!;
      // Catmull-Rom / cubic Hermite: smooth, 4 taps, no overshoot on the sampled points.
      const c1 = 0.5 * (y2 - y0);
      const c2 = y0 - 2.5 * y1 + 2 * y2 - 0.5 * y3;
      const c3 = 0.5 * (y3 - y0) + 1.5 * (y1 - y2);
      let v = ((c3 * f + c2) * f + c1) * f + y1;
      if (abs >= stopFrame) {
        const t = (abs - stopFrame + 1) / fadeFrames;
        v *= t >= 1 ? 0 : 0.5 + 0.5 * Math.cos(Math.PI * t);
      }
      target[o]! += v * amp;
    }
  }
}

/** Renders a performance (or some of its notes) with the sampled grand. */
export async function renderWithSampler(performance: Performance, options: SamplerOptions = {}): Promise<AudioData> {
  const sampleRate = options.sampleRate ?? 48000;
  const channelCount = options.channels ?? 2;
  const room = options.room ?? 'dry';
  const mono = channelCount === 1;
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 192000) {
    throw new StudioFailure('invalid-argument', `sampler rate ${sampleRate} Hz is outside 8000–192000`);
  }
  const from = options.from ?? 0;
  const match = options.match;
  const wholeEnd = samplerRenderSeconds(performance, room, match?.tailSeconds ?? 0);
  const plan = planVoices(performance, { maxVoices: options.maxVoices });
  let voices: Voice[] = plan;
  if (options.noteIndices) {
    const wanted = new Set(options.noteIndices);
    voices = plan.filter((v) => wanted.has(v.noteIndex));
  }
  const to = options.to;
  if (to !== undefined) {
    // Only the voices that can sound in the window: started before its end, not silenced before its
    // start (a release noise rings a little after its key lifts).
    voices = voices.filter(
      (v) => v.onset < to && Math.max(v.stopAt + v.stopFadeSeconds, (v.releaseAt ?? -Infinity) + RELEASE_RING) > from,
    );
  }
  // Load what the voices need (decodes lazily; cached for the process).
  const samples = new Map<Voice, StoredSample>();
  const releases = new Map<Voice, StoredSample>();
  for (const v of voices) {
    if (options.signal?.aborted) throw new StudioFailure('cancelled', 'the sampler render was cancelled');
    samples.set(v, await noteSample(v.sampledPitch, v.layer, sampleRate, mono));
    if (v.releaseAt !== undefined && v.releaseAt < wholeEnd)
      releases.set(v, await releaseSample(v.pitch, sampleRate, mono));
  }
  // How far the selected voices sound, to size a segment render.
  let soundEnd = from;
  for (const v of voices) {
    const s = samples.get(v)!;
    const natural = v.onset + s.length / sampleRate / v.rate;
    soundEnd = Math.max(soundEnd, Math.min(natural, v.stopAt + v.stopFadeSeconds));
    const r = releases.get(v);
    if (r && v.releaseAt !== undefined) soundEnd = Math.max(soundEnd, v.releaseAt + r.length / sampleRate);
  }
  const tail = roomTailSeconds(room) + (match?.tailSeconds ?? 0);
  const end =
    to !== undefined
      ? Math.max(from, Math.min(wholeEnd, to))
      : options.noteIndices
        ? Math.min(wholeEnd, soundEnd + tail)
        : wholeEnd;
  const fromFrame = Math.round(from * sampleRate);
  const frames = Math.max(0, Math.round(end * sampleRate) - fromFrame);
  const out = Array.from({ length: channelCount }, () => new Float32Array(frames));
  voices.forEach((v, k) => {
    if (options.signal?.aborted) throw new StudioFailure('cancelled', 'the sampler render was cancelled');
    const stopFrame = Number.isFinite(v.stopAt) ? Math.round(v.stopAt * sampleRate) : Number.MAX_SAFE_INTEGER / 2;
    const fadeFrames = Math.max(1, Math.round(v.stopFadeSeconds * sampleRate));
    const touch = match ? Math.pow(10, match.noteGainDb(performance.notes[v.noteIndex]!.velocity) / 20) : 1;
    mixVoice(
      out,
      samples.get(v)!,
      Math.round(v.onset * sampleRate),
      v.rate,
      v.gain * MASTER_GAIN * touch,
      stopFrame,
      fadeFrames,
      fromFrame,
    );
    const r = releases.get(v);
    if (r && v.releaseAt !== undefined) {
      mixVoice(
        out,
        r,
        Math.round(v.releaseAt * sampleRate),
        1,
        v.releaseGain * MASTER_GAIN * touch,
        Number.MAX_SAFE_INTEGER / 2,
        1,
        fromFrame,
      );
    }
    if (k % 64 === 0) options.onProgress?.(k / voices.length);
  });
  const roomed = applyRoom(out, sampleRate, room);
  const channels = match ? await match.filter(roomed, sampleRate) : roomed;
  // Fade the last moments of the whole render (absolute time, so segment renders fade identically).
  const fadeStart = Math.round((wholeEnd - END_FADE_SECONDS) * sampleRate) - fromFrame;
  const fadeLength = Math.round(END_FADE_SECONDS * sampleRate);
  for (const c of channels) {
    for (let o = Math.max(0, fadeStart); o < c.length; o++) {
      const t = (o - fadeStart) / fadeLength;
      c[o]! *= t >= 1 ? 0 : 0.5 + 0.5 * Math.cos(Math.PI * t);
    }
  }
  options.onProgress?.(1);
  return { sampleRate, channels };
}
