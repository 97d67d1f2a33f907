// Pack zips and project bundles from untrusted hands: path escapes and symlink entries never reach
// outside the destination (fflate writes a symlink entry as a plain file holding the link text), and
// size limits refuse archives that unpack to too much, leaving nothing behind.
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { extractPackZip, openPack } from '../../electron/engine/pack';
import { PACK_ZIP_LIMITS } from '../../electron/engine/pack/zip';
import {
  BUNDLE_LIMITS,
  checkLibrary,
  exportProjectBundle,
  importProjectBundle,
  listProjects,
  openLibrary,
  readBundle,
} from '../../electron/library';
import { smallLibrary } from '../support/fuzz-targets';
import { tinyPackDir } from '../support/pack-fixtures';
import { tempHome } from './library-fixtures';
import { failure } from '../support/studio-failure';

const base = (): string => mkdtempSync(join(tmpdir(), 'mv-archive-'));

/** The tiny pack's files as zip entries. */
function tinyEntries(): Zippable {
  const files: Zippable = {};
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${rel}${entry.name}/`);
      else files[`${rel}${entry.name}`] = [readFileSync(join(dir, entry.name)), { level: 0 }];
    }
  };
  walk(tinyPackDir, '');
  return files;
}

/** Unix symlink entry: mode 0120777 in the high half of the external attributes, made on Unix (os 3). */
const symlink = (target: string): [Uint8Array, { level: 0; os: number; attrs: number }] => [
  strToU8(target),
  { level: 0, os: 3, attrs: (0o120777 << 16) >>> 0 },
];

describe('pack zips', () => {
  const saved = { ...PACK_ZIP_LIMITS };
  afterEach(() => Object.assign(PACK_ZIP_LIMITS, saved));

  it('refuses every escaping entry name and leaves nothing behind', async () => {
    for (const evil of ['../x', 'a/../../x', '/etc/evil', 'C:/evil', 'a\\..\\..\\evil', 'ok/../../../evil']) {
      const dir = base();
      const zipPath = join(dir, 'evil.zip');
      writeFileSync(zipPath, zipSync({ ...tinyEntries(), [evil]: strToU8('x') }));
      const error = await failure(extractPackZip(zipPath, join(dir, 'out')));
      expect(error.message, evil).toMatch(/outside the pack folder/);
      expect(readdirSync(dir), evil).toEqual(['evil.zip']);
    }
  });

  it('writes a symlink entry as a plain file: the link is never followed or created', async () => {
    const dir = base();
    const zipPath = join(dir, 'links.zip');
    // a graph replaced by a link to a system file, and a link to a folder outside
    writeFileSync(
      zipPath,
      zipSync({ ...tinyEntries(), 'ar_decoder.onnx': symlink('/etc/passwd'), escape: symlink('/tmp') }, {}),
    );
    const error = await failure(openPack(zipPath, { extractTo: join(dir, 'out') }));
    // the plain file holding "/etc/passwd" fails the graph's size/sha256 check
    expect(error.message).toMatch(/ar_decoder\.onnx/);
    const extracted = join(dir, 'out');
    if (existsSync(extracted)) {
      for (const name of ['ar_decoder.onnx', 'escape']) {
        expect(lstatSync(join(extracted, name)).isSymbolicLink(), name).toBe(false);
      }
    }
  });

  it('refuses a zip that unpacks to more than the size limit, leaving nothing', async () => {
    PACK_ZIP_LIMITS.maxTotalBytes = 1024 * 1024;
    const dir = base();
    const zipPath = join(dir, 'bomb.zip');
    // 8 MB of zeros compress to a few kB: a small zip bomb against a 1 MB limit
    writeFileSync(
      zipPath,
      zipSync({ 'pack.json': strToU8('{}'), 'big.onnx': [new Uint8Array(8 * 1024 ** 2), { level: 9 }] }),
    );
    const error = await failure(extractPackZip(zipPath, join(dir, 'out')));
    expect(error.message).toMatch(/unpacks to more than 1048576 bytes/);
    expect(readdirSync(dir)).toEqual(['bomb.zip']);
  });

  it('answers a pack zip cut off anywhere with bad input and leaves nothing behind (never a hang)', async () => {
    // Compressed, as real pack zips are: a cut inside a deflated entry fails when the entry starts, which
    // once left the import waiting forever (exit 13, "unsettled top-level await") at some cut points.
    const entries = tinyEntries() as Record<string, [Uint8Array, object]>;
    const whole = zipSync(
      Object.fromEntries(Object.entries(entries).map(([name, [bytes]]) => [name, [bytes, { level: 1 }]])),
    );
    const dir = base();
    for (let percent = 2; percent < 100; percent += 2) {
      const zipPath = join(dir, `cut-${percent}.zip`);
      writeFileSync(zipPath, whole.subarray(0, Math.floor((whole.length * percent) / 100)));
      const error = await failure(extractPackZip(zipPath, join(dir, `out-${percent}`)));
      expect(error.code, `cut at ${percent} %`).toBe('bad-input');
      expect(error.message, `cut at ${percent} %`).toMatch(/damaged or incomplete|no pack.json/);
    }
    expect(readdirSync(dir).filter((name) => !name.endsWith('.zip'))).toEqual([]);
  });

  it('refuses a zip with too many entries', async () => {
    PACK_ZIP_LIMITS.maxEntries = 20;
    const dir = base();
    const zipPath = join(dir, 'many.zip');
    const files: Zippable = {};
    for (let i = 0; i < 50; i++) files[`f${i}.txt`] = strToU8('x');
    writeFileSync(zipPath, zipSync(files));
    const error = await failure(extractPackZip(zipPath, join(dir, 'out')));
    expect(error.message).toMatch(/more than 20 entries/);
    expect(readdirSync(dir)).toEqual(['many.zip']);
  });
});

describe('project bundles', () => {
  const saved = { ...BUNDLE_LIMITS };
  afterEach(() => Object.assign(BUNDLE_LIMITS, saved));

  function bundle(): Uint8Array {
    const lib = openLibrary(tempHome('arch-src'));
    const { projectId } = smallLibrary(lib);
    const path = join(tempHome('arch-zip'), 'b.zip');
    exportProjectBundle(lib, projectId, path);
    lib.close();
    return new Uint8Array(readFileSync(path));
  }

  it('refuses escaping names and symlink entries before anything is written', () => {
    const lib = openLibrary(tempHome('arch-dst'));
    for (const [name, entry] of [
      ['../evil', strToU8('x')],
      ['blobs/../../evil', strToU8('x')],
      ['/etc/evil', strToU8('x')],
      [`blobs/${'a'.repeat(64)}/../x`, strToU8('x')],
      ['link', symlink('/etc/passwd')],
    ] as const) {
      const bytes = zipSync({ 'manifest.json': strToU8('{}'), [name]: entry });
      expect(() => importProjectBundle(lib, bytes), name).toThrow(/unexpected entry/);
    }
    expect(listProjects(lib)).toEqual([]);
    expect(checkLibrary(lib).problems).toEqual([]);
    lib.close();
  });

  it('applies its size limits (total, per entry, file, entry count)', () => {
    const bytes = bundle();
    const cases: Array<[Partial<typeof BUNDLE_LIMITS>, RegExp]> = [
      [{ maxFileBytes: 100 }, /larger than 100 bytes/],
      [{ maxEntryBytes: 100 }, /is too large/],
      [{ maxTotalBytes: 1000 }, /more than the size limit/],
      [{ maxEntries: 1 }, /too many entries/],
      [{ maxManifestBytes: 100 }, /manifest\.json is too large/],
    ];
    expect(() => readBundle(bytes)).not.toThrow();
    for (const [limits, message] of cases) {
      Object.assign(BUNDLE_LIMITS, saved, limits);
      expect(() => readBundle(bytes), JSON.stringify(limits)).toThrow(message);
    }
  });
});
