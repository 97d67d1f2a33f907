// Atomic file output: bytes go to a temporary file in the destination folder, then a rename puts
// them in place, so a crash or a full disk never leaves a partial export under the final name.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readInputFile } from '../shared/bounded-read';
import type { AudioData } from './audio-data';
import { decodeAudio } from './decode';
import { encodeAudio, type EncodeOptions } from './encode';

export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Encodes and writes an export file atomically; returns the number of bytes written. */
export async function writeAudioFile(path: string, audio: AudioData, options: EncodeOptions): Promise<number> {
  const bytes = await encodeAudio(audio, options);
  await writeFileAtomic(path, bytes);
  return bytes.length;
}

/** Reads and decodes an audio file from disk (errors name the file). */
/** The audio tools decode a whole file into float samples: 1 GB of WAV is already ~2 h of stereo. */
export const AUDIO_FILE_MAX_BYTES = 1024 * 1024 * 1024;

export async function readAudioFile(path: string): Promise<AudioData> {
  return decodeAudio(readInputFile(path, 'audio file', AUDIO_FILE_MAX_BYTES), path);
}
