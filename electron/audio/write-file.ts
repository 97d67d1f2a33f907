// Audio files on disk: exports are written atomically (electron/shared/atomic-write.ts), so a crash or a
// full disk never leaves a partial export under the final name.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../shared/atomic-write';
import type { AudioData } from './audio-data';
import { decodeAudio } from './decode';
import { encodeAudio, type EncodeOptions } from './encode';

/** Encodes and writes an export file atomically; returns the number of bytes written. */
export async function writeAudioFile(path: string, audio: AudioData, options: EncodeOptions): Promise<number> {
  const bytes = await encodeAudio(audio, options);
  await writeFileAtomic(path, bytes);
  return bytes.length;
}

/** Reads and decodes an audio file from disk (errors name the file). */
export async function readAudioFile(path: string): Promise<AudioData> {
  const bytes = await readFile(path);
  return decodeAudio(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), path);
}
