// Export encoders: WAV (16/24-bit PCM, 32-bit float; @echogarden/wave-codec), FLAC (16/24-bit;
// libflacjs, the libFLAC reference encoder compiled to wasm, with MD5 and sample count in STREAMINFO)
// and MP3 (@breezystack/lamejs, LAME in JS; imported as ESM because its CJS entry exports nothing).
// Audio is resampled to the requested rate first (speex q10). 16-bit output gets TPDF dither from a
// fixed-seed generator, so exports stay byte-identical from run to run.
import { encodeWaveFromFloat32Channels, SampleFormat } from '@echogarden/wave-codec';
import { Mp3Encoder } from '@breezystack/lamejs';
import { createRequire } from 'node:module';
import type { AudioData } from './audio-data';
import { assertAudioData } from './audio-data';
import { resample } from './resample';
import { StudioFailure } from '../shared/failure';

export type ExportFormat = 'wav' | 'flac' | 'mp3';
export const EXPORT_SAMPLE_RATES = [32000, 44100, 48000] as const;
export type ExportSampleRate = (typeof EXPORT_SAMPLE_RATES)[number];

export interface EncodeOptions {
  format: ExportFormat;
  /** wav: 16 | 24 | 32 (32 = IEEE float); flac: 16 | 24; ignored for mp3. Default 16 (wav 16, flac 16). */
  bitDepth?: 16 | 24 | 32;
  /** Output rate; default: the audio's own rate if it is one of 32000/44100/48000, else 48000. */
  sampleRate?: ExportSampleRate;
  /** MP3 bit rate in kbit/s (per file), default 192 (stereo) / 128 (mono). */
  mp3Kbps?: number;
  /** TPDF dither for 16-bit integer output; default true. */
  dither?: boolean;
}

export const FORMAT_EXTENSIONS: Record<ExportFormat, string> = { wav: '.wav', flac: '.flac', mp3: '.mp3' };

/** Deterministic xorshift32 in [0, 1); dither must not make two exports of the same take differ. */
function seededRandom(seed = 0x9e3779b9): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Float channels → clamped integers of `bits` bits (optionally TPDF-dithered). */
function quantize(channels: Float32Array[], bits: 16 | 24, dither: boolean): Int32Array[] {
  const max = 2 ** (bits - 1) - 1;
  const min = -(2 ** (bits - 1));
  const random = seededRandom();
  return channels.map((c) => {
    const out = new Int32Array(c.length);
    for (let i = 0; i < c.length; i++) {
      const noise = dither ? random() - random() : 0;
      const v = Math.round(c[i]! * (max + 1) + noise);
      out[i] = v > max ? max : v < min ? min : v;
    }
    return out;
  });
}

// libflacjs: its wasm glue calls fetch() on a file path when fetch exists, so fetch is hidden while
// the module loads (docs: shared/reference/audio-libraries.md, error 3). The asm.js build needs no
// trick but is ~5× slower.
type FlacLib = {
  isReady(): boolean;
  on(event: 'ready', cb: () => void): void;
};
let flacPromise: Promise<FlacLib> | undefined;
function loadFlac(): Promise<FlacLib> {
  flacPromise ??= new Promise<FlacLib>((resolve) => {
    const require = createRequire(import.meta.url);
    const savedFetch = globalThis.fetch;
    (globalThis as { fetch?: unknown }).fetch = undefined;
    let lib: FlacLib;
    try {
      lib = (require('libflacjs') as (variant: string) => FlacLib)('release.wasm');
    } finally {
      globalThis.fetch = savedFetch;
    }
    if (lib.isReady()) resolve(lib);
    else lib.on('ready', () => resolve(lib));
  });
  return flacPromise;
}

async function encodeFlac(
  channels: Float32Array[],
  sampleRate: number,
  bits: 16 | 24,
  dither: boolean,
): Promise<Uint8Array> {
  const flac = await loadFlac();
  const require = createRequire(import.meta.url);
  const { Encoder } = require('libflacjs/lib/encoder') as {
    Encoder: new (
      lib: FlacLib,
      options: object,
    ) => {
      encode(data?: Int32Array[]): boolean;
      rawData: Uint8Array[];
      metadata: unknown;
      destroy(): void;
    };
  };
  const { exportFlacData } = require('libflacjs/lib/utils') as {
    exportFlacData(chunks: Uint8Array[], metadata: unknown, isOgg: boolean): Promise<Uint8Array>;
  };
  const frames = channels[0]!.length;
  const encoder = new Encoder(flac, {
    sampleRate,
    channels: channels.length,
    bitsPerSample: bits,
    compression: 5,
    totalSamples: frames,
  });
  try {
    const ints = quantize(channels, bits, dither && bits === 16);
    const block = 1 << 16;
    for (let at = 0; at < frames; at += block) {
      if (!encoder.encode(ints.map((c) => c.slice(at, Math.min(frames, at + block))))) {
        throw new StudioFailure('runtime', 'the FLAC encoder rejected the audio');
      }
    }
    if (!encoder.encode()) throw new StudioFailure('runtime', 'the FLAC encoder could not finish the stream');
    // Writes the final STREAMINFO (MD5, total samples) into the header block.
    return await exportFlacData(encoder.rawData, encoder.metadata, false);
  } finally {
    encoder.destroy();
  }
}

function encodeMp3(channels: Float32Array[], sampleRate: number, kbps: number): Uint8Array {
  const stereo = channels.length >= 2;
  const encoder = new Mp3Encoder(stereo ? 2 : 1, sampleRate, kbps);
  const toInt16 = (c: Float32Array): Int16Array => {
    const out = new Int16Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(c[i]! * 32768)));
    return out;
  };
  const left = toInt16(channels[0]!);
  const right = stereo ? toInt16(channels[1]!) : undefined;
  const parts: Uint8Array[] = [];
  const block = 1152 * 64;
  for (let at = 0; at < left.length; at += block) {
    const l = left.subarray(at, at + block);
    parts.push(right ? encoder.encodeBuffer(l, right.subarray(at, at + block)) : encoder.encodeBuffer(l));
  }
  parts.push(encoder.flush());
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Encodes `audio` into the bytes of a complete file of the chosen format. */
export async function encodeAudio(audio: AudioData, options: EncodeOptions): Promise<Uint8Array> {
  assertAudioData(audio);
  const rate =
    options.sampleRate ??
    ((EXPORT_SAMPLE_RATES as readonly number[]).includes(audio.sampleRate)
      ? (audio.sampleRate as ExportSampleRate)
      : 48000);
  if (!(EXPORT_SAMPLE_RATES as readonly number[]).includes(rate)) {
    throw new StudioFailure(
      'invalid-argument',
      `export sample rate ${rate} Hz is not offered; use 32000, 44100 or 48000`,
    );
  }
  const source = await resample(audio, rate);
  const dither = options.dither ?? true;
  const bits = options.bitDepth ?? 16;
  switch (options.format) {
    case 'wav': {
      if (bits === 32) return encodeWaveFromFloat32Channels(source.channels, rate, 32, SampleFormat.Float);
      if (bits === 16 && dither) {
        // Dither here, then let wave-codec round exact integers (its rounding is ±0.5 LSB).
        const ints = quantize(source.channels, 16, true);
        const floats = ints.map((c) => Float32Array.from(c, (v) => v / 32768));
        return encodeWaveFromFloat32Channels(floats, rate, 16, SampleFormat.PCM);
      }
      return encodeWaveFromFloat32Channels(source.channels, rate, bits, SampleFormat.PCM);
    }
    case 'flac': {
      if (bits !== 16 && bits !== 24)
        throw new StudioFailure('invalid-argument', `FLAC export is 16 or 24 bit, not ${bits}`);
      return encodeFlac(source.channels, rate, bits, dither);
    }
    case 'mp3': {
      const kbps = options.mp3Kbps ?? (source.channels.length >= 2 ? 192 : 128);
      return encodeMp3(source.channels, rate, kbps);
    }
    default:
      throw new StudioFailure(
        'invalid-argument',
        `unknown export format ${String(options.format)}; use wav, flac or mp3`,
      );
  }
}
