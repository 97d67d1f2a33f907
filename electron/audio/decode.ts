// Reads user audio files into planar Float32: WAV (every PCM/float/EXTENSIBLE variant, through
// @echogarden/wave-codec, which reads them bit-exactly), FLAC, MP3 and Ogg Vorbis (the
// @wasm-audio-decoders family / mpg123-decoder). The container is recognised by its magic bytes,
// the file name only breaks ties and names the file in error lines.
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { basename } from 'node:path';
import type { AudioData } from './audio-data';
import { StudioFailure } from '../shared/failure';

export type AudioContainer = 'wav' | 'flac' | 'mp3' | 'ogg';

/** Shortest audio we accept as usable input (a prompt is 3 s; anything under 50 ms is certainly a broken file). */
export const MIN_AUDIO_SECONDS = 0.05;

const ascii = (bytes: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));

/** Recognises the container from its first bytes; undefined when it is none we read. */
export function sniffContainer(bytes: Uint8Array, fileName = ''): AudioContainer | undefined {
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WAVE') return 'wav';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RF64' && ascii(bytes, 8, 12) === 'WAVE') return 'wav';
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === 'fLaC') return 'flac';
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === 'OggS') return 'ogg';
  if (bytes.length >= 3 && ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  // A bare MPEG audio frame: 11 sync bits, layer III.
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0 && (bytes[1]! & 0x06) === 0x02)
    return 'mp3';
  if (/\.mp3$/i.test(fileName) && bytes.length > 0) return 'mp3';
  return undefined;
}

/** True when the first MPEG audio frame says "single channel" (mpg123 still hands back two channels). */
function isMonoMpeg(bytes: Uint8Array): boolean {
  let at = 0;
  if (ascii(bytes, 0, 3) === 'ID3' && bytes.length >= 10) {
    at = 10 + ((bytes[6]! & 0x7f) << 21) + ((bytes[7]! & 0x7f) << 14) + ((bytes[8]! & 0x7f) << 7) + (bytes[9]! & 0x7f);
  }
  for (let i = at; i + 3 < Math.min(bytes.length, at + 65536); i++) {
    if (
      bytes[i] === 0xff &&
      (bytes[i + 1]! & 0xe0) === 0xe0 &&
      (bytes[i + 1]! & 0x06) !== 0 &&
      (bytes[i + 2]! & 0xf0) !== 0xf0
    ) {
      return bytes[i + 3]! >> 6 === 3;
    }
  }
  return false;
}

function badInput(fileName: string, problem: string): StudioFailure {
  return new StudioFailure('bad-input', `${basename(fileName) || 'audio'}: ${problem}`);
}

async function decodeContainer(kind: AudioContainer, bytes: Uint8Array, fileName: string): Promise<AudioData> {
  switch (kind) {
    case 'wav': {
      const raw = decodeWaveToFloat32Channels(bytes, true, true);
      return { sampleRate: raw.sampleRate, channels: raw.audioChannels };
    }
    case 'flac': {
      const decoder = new FLACDecoder();
      await decoder.ready;
      try {
        const out = await decoder.decodeFile(bytes);
        if (out.errors.length > 0 && out.samplesDecoded === 0)
          throw badInput(fileName, `FLAC data is damaged (${out.errors[0]!.message})`);
        return { sampleRate: out.sampleRate, channels: out.channelData };
      } finally {
        decoder.free();
      }
    }
    case 'mp3': {
      const decoder = new MPEGDecoder();
      await decoder.ready;
      try {
        const out = decoder.decode(bytes);
        const channels = isMonoMpeg(bytes) ? out.channelData.slice(0, 1) : out.channelData;
        return { sampleRate: out.sampleRate, channels };
      } finally {
        decoder.free();
      }
    }
    case 'ogg': {
      const head = ascii(bytes, 0, 200);
      if (!head.includes('vorbis'))
        throw badInput(
          fileName,
          'this Ogg file is not Ogg Vorbis (Opus and Ogg FLAC are not supported); convert it to WAV or FLAC',
        );
      const decoder = new OggVorbisDecoder();
      await decoder.ready;
      try {
        const out = await decoder.decodeFile(bytes);
        return { sampleRate: out.sampleRate, channels: out.channelData };
      } finally {
        decoder.free();
      }
    }
  }
}

/**
 * Decodes a whole audio file. Throws StudioFailure('bad-input') for an empty, unknown, damaged,
 * silent-length or too short file, with one line naming the file and the fix.
 */
export async function decodeAudio(bytes: Uint8Array, fileName = 'audio'): Promise<AudioData> {
  if (bytes.length === 0)
    throw badInput(fileName, 'the file is empty; choose a WAV, FLAC, MP3 or Ogg Vorbis recording');
  const kind = sniffContainer(bytes, fileName);
  if (!kind)
    throw badInput(
      fileName,
      'not a WAV, FLAC, MP3 or Ogg Vorbis file (unrecognised header); convert it to WAV or FLAC',
    );
  let audio: AudioData;
  try {
    audio = await decodeContainer(kind, bytes, fileName);
  } catch (error) {
    if (error instanceof StudioFailure) throw error;
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw badInput(
      fileName,
      `the ${kind.toUpperCase()} data could not be read (${detail}); re-export the file as 16-bit WAV`,
    );
  }
  const frames = audio.channels[0]?.length ?? 0;
  if (audio.channels.length === 0 || !(audio.sampleRate > 0) || frames === 0) {
    throw badInput(fileName, `the ${kind.toUpperCase()} file holds no audio samples`);
  }
  if (frames / audio.sampleRate < MIN_AUDIO_SECONDS) {
    throw badInput(
      fileName,
      `the audio is only ${((frames / audio.sampleRate) * 1000).toFixed(1)} ms long; at least ${MIN_AUDIO_SECONDS * 1000} ms is needed`,
    );
  }
  // Decoders may hand back views on shared wasm memory or channels of unequal length; copy to own arrays.
  const channels = audio.channels.map((c) => {
    const own = new Float32Array(frames);
    own.set(c.subarray(0, frames));
    return own;
  });
  return { sampleRate: audio.sampleRate, channels };
}
