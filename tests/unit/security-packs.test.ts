// Issue 14, findings 7 and 13 (packs): the engine host verifies a pack's sha256 checksums when it loads
// it, symlinks in a pack are refused at import and at load, a pack.json linked to a system file is never
// quoted, and a truncated pack zip is bad input (exit 3) that leaves nothing behind.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../electron/engine/client/engine-client';
import { VERIFIED_RECORD_FILE } from '../../electron/engine/pack/verified-load';
import { runCli } from '../support/cli';
import { hasTinyPack, tinyPackDir } from '../support/engine-pack';
import { testStudio } from '../support/studio';

const { studio, failure } = testStudio('mv-sec-packs-');
afterAll(() => studio.close());

const graphFile = (dir: string): string => {
  const manifest = JSON.parse(readFileSync(join(dir, 'pack.json'), 'utf8')) as {
    graphs: Record<string, { file: string }>;
  };
  return manifest.graphs.arDecoder!.file;
};

/** A copy of the tiny pack in a folder of its own. */
function packCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'mv-sec-pack-')), 'pack');
  cpSync(tinyPackDir, dir, { recursive: true });
  return dir;
}

/** Flips bytes in the middle of a graph: same size, other weights. */
function tamper(dir: string): void {
  const path = join(dir, graphFile(dir));
  const bytes = readFileSync(path);
  for (let i = 0; i < 16; i++) bytes[(bytes.length >> 1) + i]! ^= 0x5a;
  writeFileSync(path, bytes);
}

describe.skipIf(!hasTinyPack)('pack integrity at load (finding 7)', () => {
  let client: EngineClient;
  beforeAll(() => {
    client = EngineClient.fork();
  });
  afterAll(() => client?.close());

  it('refuses a pack whose graph was replaced after import', async () => {
    const dir = packCopy();
    tamper(dir);
    await expect(client.loadPack(dir, { threads: 1 })).rejects.toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(/fails its sha256 check/),
    });
  });

  it('refuses a pack whose graph is a symlink, at load and at import', async () => {
    const dir = packCopy();
    const file = graphFile(dir);
    rmSync(join(dir, file));
    symlinkSync(join(tinyPackDir, file), join(dir, file));
    await expect(client.loadPack(dir, { threads: 1 })).rejects.toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(/is a symbolic link/),
    });
    const error = await failure('packs.import', { path: dir });
    expect(error.code).toBe('bad-input');
    expect(error.message).toMatch(/is a symbolic link/);
  });

  it('still loads the untouched pack, and re-verifies it once a graph changes', async () => {
    const dir = packCopy();
    const info = await client.loadPack(dir, { threads: 1 });
    expect(info.id).toBe('random-tiny-1');
    await client.unload();
    tamper(dir);
    await expect(client.loadPack(dir, { threads: 1 })).rejects.toMatchObject({ code: 'bad-input' });
  });
});

describe.skipIf(!hasTinyPack)('pack integrity across engine processes (start-up without re-hashing)', () => {
  const clients: EngineClient[] = [];
  /** A new engine process, as each launch of the studio starts one. */
  const freshEngine = (): EngineClient => {
    const client = EngineClient.fork();
    clients.push(client);
    return client;
  };
  afterAll(() => clients.forEach((c) => c.close()));

  it('records a verified pack in the cache folder, and a later process still refuses it once a graph changed', async () => {
    const dir = packCopy();
    const cacheDir = mkdtempSync(join(tmpdir(), 'mv-sec-engine-cache-'));
    expect((await freshEngine().loadPack(dir, { threads: 1 }, { cacheDir })).id).toBe('random-tiny-1');
    const record = JSON.parse(readFileSync(join(cacheDir, VERIFIED_RECORD_FILE), 'utf8')) as Record<string, string>;
    expect(Object.keys(record)).toEqual([dir]);
    expect((await freshEngine().loadPack(dir, { threads: 1 }, { cacheDir })).id).toBe('random-tiny-1');

    tamper(dir);
    await expect(freshEngine().loadPack(dir, { threads: 1 }, { cacheDir })).rejects.toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(/fails its sha256 check/),
    });
  });

  it('ignores a damaged record and verifies the pack itself', async () => {
    const dir = packCopy();
    tamper(dir);
    const cacheDir = mkdtempSync(join(tmpdir(), 'mv-sec-engine-cache-'));
    writeFileSync(join(cacheDir, VERIFIED_RECORD_FILE), '{"not json');
    await expect(freshEngine().loadPack(dir, { threads: 1 }, { cacheDir })).rejects.toMatchObject({
      code: 'bad-input',
    });
  });
});

describe('pack files that are not what they seem (finding 13)', () => {
  it('never quotes a system file linked as pack.json', async () => {
    const dir = packCopy();
    rmSync(join(dir, 'pack.json'));
    symlinkSync('/etc/passwd', join(dir, 'pack.json'));
    const error = await failure('packs.import', { path: dir });
    expect(error.code).toBe('bad-input');
    expect(error.message).not.toMatch(/root:/);
    expect(error.message).toMatch(/pack.json is a symbolic link/);
  });

  it('answers a truncated pack zip with exit 3 and leaves nothing in the packs folder', () => {
    const files: Record<string, Uint8Array> = {};
    for (const name of readdirSync(tinyPackDir, { recursive: true, withFileTypes: true })) {
      if (!name.isFile()) continue;
      const full = join(name.parentPath, name.name);
      files[`tiny/${full.slice(tinyPackDir.length + 1)}`] = readFileSync(full);
    }
    const zip = zipSync(files, { level: 1 });
    const home = mkdtempSync(join(tmpdir(), 'mv-sec-zip-home-'));
    const dir = mkdtempSync(join(tmpdir(), 'mv-sec-zip-'));
    for (const fraction of [0.1, 0.5, 0.9]) {
      const path = join(dir, `cut-${fraction}.zip`);
      writeFileSync(path, zip.subarray(0, Math.floor(zip.length * fraction)));
      const run = runCli(['--home', home, 'packs', 'import', path]);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^error: model pack .* the zip is damaged or incomplete .*\n$/);
      expect(readdirSync(join(home, 'packs'))).toEqual([]);
    }
  }, 120_000);
});
