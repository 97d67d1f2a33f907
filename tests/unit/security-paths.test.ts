// Issue 14, findings 4–5: paths from a client never reach outside the library. On the browser host an
// export goes only into the library's export folder; packs.remove takes an installed pack's id and
// deletes only inside the library's packs folder, never the folder a pack was imported from.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importMidi, writeMidi } from '../../electron/midi';
import { toFileData } from '../../electron/services/file-data';
import { tinyPackDir } from '../support/engine-pack';
import { testdata } from '../support/shared-data';
import { testStudio } from '../support/studio';

const web = testStudio('mv-sec-paths-web-', { host: 'web' });
const cli = testStudio('mv-sec-paths-cli-');
afterAll(async () => {
  await web.studio.close();
  await cli.studio.close();
});
const outside = mkdtempSync(join(tmpdir(), 'mv-sec-outside-'));

/** The first 6 s of a real performance (ASAP): one short segment. */
function shortPiece(): Uint8Array {
  const { performance } = importMidi(readFileSync(testdata('asap/Chopin_Etudes_op_10_3_SunMeiting08.mid')));
  return writeMidi(
    performance.notes.filter((n) => n.onset < 6),
    performance.pedals.filter((p) => p.time < 6),
  );
}

/** A copy of the built-in tiny pack under another id, in a folder of the user's. */
function userPack(id: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'mv-sec-userpack-')), 'my pack');
  cpSync(tinyPackDir, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'pack.json'), 'utf8')) as { id: string };
  manifest.id = id;
  writeFileSync(join(dir, 'pack.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

describe('exports.run on the browser host (finding 4)', () => {
  let renderId = '';
  const base = { kind: 'mix', format: 'wav', sampleRate: 44100 } as const;

  it('renders a short piece to export', async () => {
    const piece = await web.call('pieces.import', { file: toFileData('short.mid', shortPiece()) });
    const performer = (await web.call<Array<{ id: string }>>('performers.list', {}))[0]!;
    const started = await web.call('renders.start', {
      pieceId: piece.id,
      performerId: performer.id,
      engine: 'sampler',
    });
    expect((await web.jobEnd(started.jobId)).status).toBe('done');
    renderId = started.renderId;
  }, 120_000);

  it('refuses a destination outside the export folder and writes nothing there', async () => {
    const target = join(outside, 'planted', 'deeper');
    const error = await web.failure('exports.run', { ...base, renderId, destination: target });
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(/only inside the library's export folder/);
    expect(existsSync(join(outside, 'planted'))).toBe(false);
    for (const sneaky of [join(web.studio.ctx.home, 'exports', '..', '..'), '/etc', 'relative/dir']) {
      expect((await web.failure('exports.run', { ...base, renderId, destination: sneaky })).code).toBe(
        'invalid-argument',
      );
    }
  });

  it('refuses a symlink inside the export folder that leads out of it', async () => {
    const exportsDir = join(web.studio.ctx.home, 'exports');
    mkdirSync(exportsDir, { recursive: true });
    symlinkSync(outside, join(exportsDir, 'escape'));
    const error = await web.failure('exports.run', { ...base, renderId, destination: join(exportsDir, 'escape', 'x') });
    expect(error.code).toBe('invalid-argument');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('exports without a destination, or to a folder inside the export folder, as downloads', async () => {
    const plain = await web.call('exports.run', { ...base, renderId });
    expect(plain.files[0]).toMatchObject({ path: null, download: `${plain.exportId}_0` });
    const inside = join(web.studio.ctx.home, 'exports', 'mine');
    const chosen = await web.call('exports.run', { ...base, renderId, destination: inside });
    expect(readdirSync(inside)).toEqual([chosen.files[0].name]);
  });
});

describe('packs.remove (findings 4 and 5)', () => {
  it('never deletes the folder a pack was imported from, named by path', async () => {
    const source = userPack('user-pack-a');
    const installed = await cli.call('packs.import', { path: source });
    expect(installed.id).toBe('user-pack-a');
    const error = await cli.failure('packs.remove', { id: source });
    expect(error.code).toBe('not-found');
    expect(error.message).toMatch(/give the pack id/);
    expect(existsSync(join(source, 'pack.json'))).toBe(true);
    // By its id, the installed copy goes and the user's folder stays.
    await cli.call('packs.remove', { id: 'user-pack-a' });
    expect(existsSync(installed.dir)).toBe(false);
    expect(existsSync(join(source, 'pack.json'))).toBe(true);
  });

  it('removes a symlink planted in the packs folder as a link, never what it points at', async () => {
    const source = userPack('user-pack-b');
    const packsDir = join(cli.studio.ctx.home, 'packs');
    mkdirSync(packsDir, { recursive: true });
    symlinkSync(source, join(packsDir, 'user-pack-b'));
    await cli.call('packs.remove', { id: 'user-pack-b' });
    expect(existsSync(join(packsDir, 'user-pack-b'))).toBe(false);
    expect(readdirSync(source)).toContain('pack.json');
  });

  it('refuses an absolute folder that holds a valid pack', async () => {
    const source = userPack('user-pack-c');
    expect((await cli.failure('packs.remove', { id: source })).code).toBe('not-found');
    expect(existsSync(join(source, 'pack.json'))).toBe(true);
  });
});
