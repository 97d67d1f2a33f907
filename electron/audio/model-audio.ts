// The neural engine's audio format: 32 kHz mono (Piano-Encodec). One call from file bytes to that.
import type { AudioData } from './audio-data';
import { toMono } from './audio-data';
import { decodeAudio } from './decode';
import { resample } from './resample';

export const MODEL_SAMPLE_RATE = 32000;

/** Decodes any supported file and converts it to 32 kHz mono (speex q10). */
export async function loadModelAudio(bytes: Uint8Array, fileName: string): Promise<AudioData> {
  return resample(toMono(await decodeAudio(bytes, fileName)), MODEL_SAMPLE_RATE);
}
