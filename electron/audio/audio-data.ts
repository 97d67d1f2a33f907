// The in-memory audio shape shared by every audio module: planar Float32 channels at one rate.
// Planar (not interleaved) because every library we use (wave-codec, the wasm decoders, speex)
// works per channel, and DSP loops are simpler on one channel at a time.
import { StudioFailure } from '../shared/failure';

export interface AudioData {
  sampleRate: number;
  /** One Float32Array per channel, all the same length; nominal full scale is ±1. */
  channels: Float32Array[];
}

export function frameCount(audio: AudioData): number {
  return audio.channels[0]?.length ?? 0;
}

export function durationSeconds(audio: AudioData): number {
  return audio.sampleRate > 0 ? frameCount(audio) / audio.sampleRate : 0;
}

export const dbToGain = (db: number): number => Math.pow(10, db / 20);
export const gainToDb = (gain: number): number => (gain > 0 ? 20 * Math.log10(gain) : -Infinity);

/** Average of all channels (an equal-weight downmix; a mono input is returned as is). */
export function toMono(audio: AudioData): AudioData {
  if (audio.channels.length === 1) return audio;
  const n = frameCount(audio);
  const out = new Float32Array(n);
  const scale = 1 / audio.channels.length;
  for (const channel of audio.channels) {
    for (let i = 0; i < n; i++) out[i]! += channel[i]! * scale;
  }
  return { sampleRate: audio.sampleRate, channels: [out] };
}

/** Mono → duplicated to `count` channels; more channels → downmixed to mono first, then duplicated. */
export function toChannelCount(audio: AudioData, count: number): AudioData {
  if (audio.channels.length === count) return audio;
  const mono = toMono(audio).channels[0]!;
  if (count === 1) return { sampleRate: audio.sampleRate, channels: [mono] };
  return { sampleRate: audio.sampleRate, channels: Array.from({ length: count }, () => mono.slice()) };
}

/** Multiply every sample by a linear gain, returning new arrays. */
export function applyGain(audio: AudioData, gain: number): AudioData {
  return {
    sampleRate: audio.sampleRate,
    channels: audio.channels.map((channel) => {
      const out = new Float32Array(channel.length);
      for (let i = 0; i < channel.length; i++) out[i] = channel[i]! * gain;
      return out;
    }),
  };
}

/** Largest absolute sample value over all channels (sample peak, not true peak). */
export function samplePeak(audio: AudioData): number {
  let peak = 0;
  for (const channel of audio.channels) {
    for (let i = 0; i < channel.length; i++) {
      const v = Math.abs(channel[i]!);
      if (v > peak) peak = v;
    }
  }
  return peak;
}

/** Guards the invariants other modules rely on; a broken shape is a programming error, not user input. */
export function assertAudioData(audio: AudioData, what = 'audio'): void {
  if (!(audio.sampleRate > 0) || !Number.isFinite(audio.sampleRate)) {
    throw new StudioFailure('invalid-argument', `${what} has no valid sample rate (${audio.sampleRate})`);
  }
  if (audio.channels.length === 0) throw new StudioFailure('invalid-argument', `${what} has no channels`);
  const n = audio.channels[0]!.length;
  if (audio.channels.some((c) => c.length !== n)) {
    throw new StudioFailure('invalid-argument', `${what} has channels of different lengths`);
  }
}
