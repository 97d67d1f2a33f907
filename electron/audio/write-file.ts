// Audio files on disk: exports are written atomically (electron/shared/atomic-write.ts), so a crash or a
// full disk never leaves a partial export under the final name; inputs are read with a size bound.
import { writeFileAtomic } from '../shared/atomic-write';
import { readInputFile } from '../shared/bounded-read';
import type { AudioData } from './audio-data';
import { decodeAudio } from './decode';
import { encodeAudio, type EncodeOptions } from './encode';

/** Encodes and writes an export file atomically; returns the number of bytes written. */
export async function writeAudioFile(path: string, audio: AudioData, options: EncodeOptions): Promise<number> {
  const bytes = await encodeAudio(audio, options);
  await writeFileAtomic(path, bytes);
  return bytes.length;
}

/** The audio tools decode a whole file into float samples: 1 GB of WAV is already ~2 h of stereo. */
export const AUDIO_FILE_MAX_BYTES = 1024 * 1024 * 1024;

/** Reads and decodes an audio file from disk (errors name the file). */
export async function readAudioFile(path: string): Promise<AudioData> {
  return decodeAudio(readInputFile(path, 'audio file', AUDIO_FILE_MAX_BYTES), path);
}
