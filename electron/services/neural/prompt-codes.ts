// A performer's prompt as Piano-Encodec codes under a pack: encoded by the engine once, then read from the
// library. The studio asks for them ahead of a render (packs.prepare with the chosen performer), so the
// first Render does not wait for the codec encoder; a render started while that encode runs shares it.
import { decodeAudio } from '../../audio';
import type { EngineClient, PromptCodes } from '../../engine';
import { findPromptCodes, putPromptCodes, type Library, type PerformerRecord } from '../../library';
import type { InstalledPack } from './pack-registry';

export type StoredPromptCodes = PromptCodes & { hash: string };

/** Encodes under way, by performer and pack: a second caller waits for the first instead of encoding again. */
const encoding = new Map<string, Promise<StoredPromptCodes>>();

function readStored(lib: Library, hash: string): StoredPromptCodes {
  const bytes = lib.getBlob(hash);
  const codes = new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { codes, frames: codes.length / 4, hash };
}

export async function promptCodes(
  lib: Library,
  performer: PerformerRecord,
  pack: InstalledPack,
  client: EngineClient,
): Promise<StoredPromptCodes> {
  const id = { id: pack.manifest.id, version: pack.manifest.version };
  const cached = findPromptCodes(lib, performer.id, id);
  if (cached) return readStored(lib, cached);
  const key = JSON.stringify([lib.home, performer.id, id.id, id.version]);
  let running = encoding.get(key);
  if (!running) {
    running = (async () => {
      const audio = await decodeAudio(lib.getBlob(performer.promptAudio.hash), `${performer.name} prompt.wav`);
      const prompt = await client.encodePrompt(audio.channels[0]!, audio.sampleRate);
      const bytes = new Uint8Array(prompt.codes.buffer, prompt.codes.byteOffset, prompt.codes.byteLength);
      return { ...prompt, hash: putPromptCodes(lib, performer.id, id, bytes) };
    })().finally(() => encoding.delete(key));
    encoding.set(key, running);
  }
  return running;
}
