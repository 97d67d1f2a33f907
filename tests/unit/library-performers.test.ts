import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addPerformer,
  findPerformerByName,
  findPromptCodes,
  getPerformer,
  listPerformers,
  listRenders,
  openLibrary,
  putPromptCodes,
  removePerformer,
  sha256Hex,
  updatePerformer,
} from '../../electron/library';
import { testdata } from '../support/shared-data';
import { addPromptPerformer, seedLibrary, tempHome } from './library-fixtures';

describe('performers storage', () => {
  it('stores a performer with its real prompt recording, MIDI and tokens as blobs', () => {
    const lib = openLibrary(tempHome());
    const p = addPromptPerformer(lib, 'Prompt A');
    const wav = readFileSync(testdata('midi-valle/prompt_A.wav'));
    expect(p.promptAudio).toEqual({
      hash: sha256Hex(wav),
      format: 'wav',
      sampleRate: wav.readUInt32LE(24),
      channels: wav.readUInt16LE(22),
      duration: 3,
    });
    expect(Buffer.from(lib.getBlob(p.promptMidiHash)).equals(readFileSync(testdata('midi-valle/prompt_A.midi')))).toBe(
      true,
    );
    expect(p.promptTokensHash).toBe(sha256Hex(readFileSync(testdata('midi-valle/prompt_A.npy'))));
    expect(p.tags).toEqual({ piano: 'Steinway D', room: 'hall', source: 'MAESTRO' });
    expect(p.consent).toEqual({ kind: 'public-domain', by: null, at: null });
    expect(getPerformer(lib, p.id)).toEqual(p);
    expect(findPerformerByName(lib, 'prompt a')?.id).toBe(p.id);
    lib.close();
  });

  it('keeps names unique ignoring case, on add and on rename', () => {
    const lib = openLibrary(tempHome());
    const a = addPromptPerformer(lib, 'Clara');
    expect(() => addPromptPerformer(lib, 'CLARA', 'B')).toThrow(/a performer named "CLARA" already exists/);
    const b = addPromptPerformer(lib, 'Robert', 'B');
    expect(() => updatePerformer(lib, b.id, { name: 'clara' })).toThrow(/already exists/);
    const renamed = updatePerformer(lib, b.id, { name: 'Johannes', tags: { room: 'studio' }, notes: 'dry' });
    expect(renamed).toMatchObject({
      name: 'Johannes',
      notes: 'dry',
      tags: { piano: 'Steinway D', room: 'studio', source: 'MAESTRO' },
    });
    expect(listPerformers(lib).map((p) => p.name)).toEqual(['Clara', 'Johannes']);
    expect(() => addPerformer(lib, { ...baseInput(), name: '  ' })).toThrow(/needs a name/);
    expect(a.demo).toBe(false);
    lib.close();
  });

  it('refuses to remove a performer used by renders unless forced, which removes those renders', () => {
    const lib = openLibrary(tempHome());
    const { performer, render } = seedLibrary(lib, 2);
    expect(listPerformers(lib)[0]!.renderCount).toBe(1);
    expect(() => removePerformer(lib, performer.id)).toThrow(
      /used by 1 render\(s\); remove those first or pass --force/,
    );
    expect(getPerformer(lib, performer.id).name).toBe('Prompt A');
    expect(removePerformer(lib, performer.id, { force: true })).toEqual({ removedRenders: 1 });
    expect(() => getPerformer(lib, performer.id)).toThrow(/no performer/);
    expect(listRenders(lib).find((r) => r.id === render.id)).toBeUndefined();
    const unused = addPromptPerformer(lib, 'Unused', 'B');
    expect(removePerformer(lib, unused.id)).toEqual({ removedRenders: 0 });
    lib.close();
  });

  it('caches prompt codes per pack id and version', () => {
    const lib = openLibrary(tempHome());
    const p = addPromptPerformer(lib, 'Coded');
    const pack = { id: 'midi-valle-base', version: '1.0.0' };
    expect(findPromptCodes(lib, p.id, pack)).toBeUndefined();
    const hash = putPromptCodes(lib, p.id, pack, new Uint8Array([9, 8, 7]));
    expect(findPromptCodes(lib, p.id, pack)).toBe(hash);
    expect(findPromptCodes(lib, p.id, { ...pack, version: '1.1.0' })).toBeUndefined();
    const newer = putPromptCodes(lib, p.id, pack, new Uint8Array([1]));
    expect(findPromptCodes(lib, p.id, pack)).toBe(newer);
    lib.close();
  });
});

function baseInput(): Parameters<typeof addPerformer>[1] {
  return {
    name: 'x',
    promptAudio: { bytes: new Uint8Array([1]), format: 'wav', sampleRate: 8000, channels: 1, duration: 3 },
    promptMidi: new Uint8Array([2]),
    licence: 'CC0',
    consent: { kind: 'self' },
  };
}
