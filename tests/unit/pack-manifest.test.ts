// loadPackManifest / openPack against the committed tiny pack and corrupted copies of it.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  expectedGraphIo,
  extractPackZip,
  loadPackManifest,
  openPack,
  parsePackManifest,
} from '../../electron/engine/pack';
import { readPackGraphs } from '../../electron/engine/runtime/pack-graphs';
import { safeEntryPath } from '../../electron/engine/pack/zip';
import { tinyPackDir } from '../support/pack-fixtures';
import { failure } from '../support/studio-failure';

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pack-test-'));
  temps.push(dir);
  return dir;
}

async function copyOfTiny(): Promise<string> {
  const dir = join(await tempDir(), 'tiny');
  await cp(tinyPackDir, dir, { recursive: true });
  return dir;
}

async function editManifest(dir: string, edit: (json: any) => void): Promise<void> {
  const path = join(dir, 'pack.json');
  const json = JSON.parse(await readFile(path, 'utf8'));
  edit(json);
  await writeFile(path, JSON.stringify(json));
}

describe('loadPackManifest', () => {
  it('accepts the committed tiny pack and resolves every graph', async () => {
    const pack = await loadPackManifest(tinyPackDir);
    expect(pack.format).toBe('midi-valle-pack');
    expect(pack.model).toEqual({
      dModel: 32,
      heads: 2,
      headDim: 16,
      arLayers: 2,
      narLayers: 2,
    });
    expect(pack.audio.eosId).toBe(2048);
    expect(pack.source.random?.seed).toBe(1);
    for (const path of Object.values(pack.graphPaths)) expect(existsSync(path)).toBe(true);
  });

  it('names a missing graph file', async () => {
    const dir = await copyOfTiny();
    await rm(join(dir, 'nar_stage.onnx'));
    const error = await failure(loadPackManifest(dir));
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain('graph narStage file nar_stage.onnx is missing');
  });

  it('names a graph whose checksum does not match', async () => {
    const dir = await copyOfTiny();
    const path = join(dir, 'ar_decoder.onnx');
    const bytes = readFileSync(path);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    await writeFile(path, bytes);
    const error = await failure(loadPackManifest(dir));
    expect(error.message).toContain('graph arDecoder file ar_decoder.onnx fails its sha256 check');
    await expect(loadPackManifest(dir, { verifyChecksums: false })).resolves.toBeTruthy();
  });

  it('names a graph whose declared shape differs from the contract', async () => {
    const dir = await copyOfTiny();
    await editManifest(dir, (j) => {
      j.graphs.arDecoder.outputs[1].shape = [2, 'B', 2, 1, 16];
    });
    const error = await failure(loadPackManifest(dir));
    expect(error.message).toContain("graph arDecoder output 'new_key' has shape [2,B,2,1,16], expected [2,B,2,T,16]");
  });

  it('names an older pack format (separate prefill and step graphs) and says how to re-create it', async () => {
    const dir = await copyOfTiny();
    await editManifest(dir, (j) => {
      j.formatVersion = 1;
    });
    const error = await failure(loadPackManifest(dir));
    expect(error.code).toBe('bad-input');
    expect(error.message).toMatch(/pack format version 1 is not the version this engine reads \(2\).*convert\.py/);
  });

  it('refuses other vocabulary sizes and quantizer counts', async () => {
    const dir = await copyOfTiny();
    await editManifest(dir, (j) => {
      j.midi.vocabSizes = [92, 68, 1156, 772, 388, 30];
      j.audio.quantizers = 8;
    });
    const error = await failure(loadPackManifest(dir));
    expect(error.message).toContain('audio.quantizers is 8, the engine needs 4');
    expect(error.message).toContain('midi.vocabSizes are [92,68,1156,772,388,30]');
  });

  it('accepts an arDecoder that reads an int8 KV cache (int8 packs) and checks those inputs', async () => {
    const dir = await copyOfTiny();
    // the tiny decoder with the int8 cache (precision.py to_int8_kv_cache) in place of the fp32 one
    await cp(join(dir, 'fixtures', 'ar_decoder_int8kv.onnx'), join(dir, 'ar_decoder.onnx'));
    const bytes = readFileSync(join(dir, 'ar_decoder.onnx'));
    await editManifest(dir, (j) => {
      Object.assign(j.graphs.arDecoder, {
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes: bytes.length,
        precision: 'int8',
        inputs: expectedGraphIo(j.model, 'int8').arDecoder.inputs,
      });
    });
    await expect(loadPackManifest(dir)).resolves.toBeTruthy();
    expect(readPackGraphs(dir).kvCache).toBe('int8');
    expect(readPackGraphs(tinyPackDir).kvCache).toBe('float32');
    const names = expectedGraphIo({ dModel: 32, heads: 2, headDim: 16, arLayers: 2, narLayers: 2 }, 'int8')
      .arDecoder.inputs.map((i) => `${i.name}:${i.type}[${i.shape.join(',')}]`)
      .slice(2, 6);
    expect(names).toEqual([
      'past_key_0:uint8[B,2,P,16]',
      'past_key_scale_0:float32[B,2,P,1]',
      'past_value_0:int8[B,2,P,16]',
      'past_value_scale_0:float32[B,2,1,P]',
    ]);
    await editManifest(dir, (j) => {
      j.graphs.arDecoder.inputs[4].type = 'uint8';
    });
    const error = await failure(loadPackManifest(dir));
    expect(error.message).toContain("graph arDecoder input 'past_value_0' is uint8, expected int8");
  });

  it('the tiny fp32 pack carries an int8 draft decoder, beside a decoder with logits for every row', async () => {
    const pack = await loadPackManifest(tinyPackDir);
    expect(pack.graphs.arDraftDecoder?.precision).toBe('int8');
    expect(existsSync(pack.graphPaths.arDraftDecoder!)).toBe(true);
    expect(pack.graphs.arDecoder.outputs[0]!.shape).toEqual(['B', 'T', 2049]);
    const graphs = readPackGraphs(tinyPackDir);
    expect(graphs.arLogitRows).toBe('all');
    expect(graphs.draftFile).toBe(join(tinyPackDir, 'ar_draft_decoder.onnx'));
  });

  it('checks the draft decoder: its file, its int8 cache inputs, and a decoder that can verify it', async () => {
    const dir = await copyOfTiny();
    await rm(join(dir, 'ar_draft_decoder.onnx'));
    expect((await failure(loadPackManifest(dir))).message).toContain(
      'graph arDraftDecoder file ar_draft_decoder.onnx is missing',
    );
    const other = await copyOfTiny();
    await editManifest(other, (j) => {
      j.graphs.arDraftDecoder.inputs = j.graphs.arDecoder.inputs; // an fp32 cache
    });
    expect((await failure(loadPackManifest(other))).message).toContain(
      'graph arDraftDecoder inputs are [x,mask,past_key_0,past_value_0',
    );
    const last = await copyOfTiny();
    await editManifest(last, (j) => {
      j.graphs.arDecoder.outputs[0].shape = ['B', 2049];
    });
    expect((await failure(loadPackManifest(last))).message).toContain(
      'graph arDraftDecoder needs an arDecoder with logits for every row',
    );
  });

  it('still reads packs made before drafts: no draft, last-row logits', async () => {
    const dir = await copyOfTiny();
    await editManifest(dir, (j) => {
      delete j.graphs.arDraftDecoder;
      j.graphs.arDecoder.outputs[0].shape = ['B', 2049];
    });
    const pack = await loadPackManifest(dir);
    expect(pack.graphPaths.arDraftDecoder).toBeUndefined();
    const graphs = readPackGraphs(dir);
    expect(graphs.arLogitRows).toBe('last');
    expect(graphs.draftFile).toBeUndefined();
  });

  it('refuses renamed graph inputs', async () => {
    const dir = await copyOfTiny();
    await editManifest(dir, (j) => {
      j.graphs.narStage.inputs[3].name = 'quantizer';
    });
    const error = await failure(loadPackManifest(dir));
    expect(error.message).toContain('graph narStage inputs are [xn,codes,prompt_frames,quantizer,mask]');
  });

  it('reports schema violations, bad JSON and a missing pack.json', async () => {
    const dir = await copyOfTiny();
    await editManifest(dir, (j) => {
      j.format = 'something-else';
      delete j.graphs.codecDecode;
    });
    const schema = await failure(loadPackManifest(dir));
    expect(schema.message).toContain('does not follow the pack schema');
    expect(schema.message).toContain('codecDecode');
    expect(() => parsePackManifest('{ not json')).toThrow(/not valid JSON/);
    const empty = await tempDir();
    expect((await failure(loadPackManifest(empty))).message).toContain('no pack.json found');
  });

  it('refuses graph files that point outside the pack', async () => {
    const dir = await copyOfTiny();
    await editManifest(dir, (j) => {
      j.graphs.midiEmbed.file = '../midi_embed.onnx';
    });
    expect((await failure(loadPackManifest(dir))).message).toContain('/graphs/midiEmbed/file');
  });
});

// Weights do not compress; level 0 (stored) keeps the tests fast, level 1 exercises inflate.
function zipOfTiny(prefix: string, extra: Record<string, Uint8Array> = {}, level: 0 | 1 = 0): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${rel}${entry.name}/`);
      else files[`${prefix}${rel}${entry.name}`] = readFileSync(join(dir, entry.name));
    }
  };
  walk(tinyPackDir, '');
  return zipSync({ ...files, ...extra }, { level });
}

describe('zipped packs', () => {
  it('extracts a zip (flat or with one top folder) and loads it', async () => {
    const base = await tempDir();
    for (const prefix of ['', 'tiny-pack/']) {
      const zipPath = join(base, `pack-${prefix.length}.zip`);
      await writeFile(zipPath, zipOfTiny(prefix, {}, prefix ? 0 : 1));
      const pack = await openPack(zipPath, {
        extractTo: join(base, `out-${prefix.length}`),
      });
      expect(pack.id).toBe('random-tiny-1');
      expect(pack.dir.endsWith(prefix ? 'tiny-pack' : `out-${prefix.length}`)).toBe(true);
    }
  });

  it('refuses entries that would escape the folder and leaves nothing behind', async () => {
    const base = await tempDir();
    const zipPath = join(base, 'evil.zip');
    await writeFile(zipPath, zipOfTiny('', { '../escaped.txt': strToU8('x') }));
    const dest = join(base, 'out');
    const error = await failure(extractPackZip(zipPath, dest));
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain("entry '../escaped.txt'");
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(join(base, 'escaped.txt'))).toBe(false);
    expect(readdirSync(base)).toEqual(['evil.zip']);
  });

  it('classifies entry names', () => {
    expect(safeEntryPath('pack.json')).toBe('pack.json');
    expect(safeEntryPath('a/./b.onnx')).toBe(join('a', 'b.onnx'));
    for (const evil of ['/etc/passwd', '../x', 'a/../../x', 'C:/x', 'a\\..\\x', ''])
      expect(safeEntryPath(evil)).toBeNull();
  });

  it('says so when a zip holds no pack', async () => {
    const base = await tempDir();
    const zipPath = join(base, 'other.zip');
    await writeFile(zipPath, zipSync({ 'readme.txt': strToU8('hello') }));
    expect((await failure(extractPackZip(zipPath, join(base, 'out')))).message).toContain(
      'no pack.json inside the zip',
    );
  });
});
