import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkLibrary,
  createRenderJob,
  exportProjectBundle,
  importProjectBundle,
  listPerformers,
  listPieces,
  listProjects,
  listRenders,
  listTakes,
  openLibrary,
  sha256Hex,
  type Library,
} from '../../electron/library';
import { addPromptPerformer, runRenderJob, seedLibrary, sineRenderer, tempHome } from './library-fixtures';

async function exportedBundle(): Promise<{
  zipPath: string;
  source: Library;
  projectId: string;
  renderId: string;
}> {
  const source = openLibrary(tempHome('src'));
  const seeded = seedLibrary(source, 3);
  await runRenderJob(source, createRenderJob(source, seeded.render.id).id, sineRenderer());
  // a second take of segment 0 that is not chosen: bundles carry chosen takes only
  await runRenderJob(source, createRenderJob(source, seeded.render.id, { segments: [0], seed: 5 }).id, sineRenderer());
  const zipPath = join(tempHome('zip'), 'fugues.zip');
  exportProjectBundle(source, seeded.project.id, zipPath);
  return {
    zipPath,
    source,
    projectId: seeded.project.id,
    renderId: seeded.render.id,
  };
}

/** Everything an import could change: row counts and blob files. */
function snapshot(lib: Library): string {
  const tables = ['projects', 'pieces', 'performers', 'renders', 'segments', 'takes'];
  const counts = tables.map((t) => `${t}=${lib.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()}`);
  const files = lib.blobs
    .scan()
    .blobs.map((b) => b.hash)
    .sort();
  return `${counts.join(',')}|${files.join(',')}|tmp=${readdirSync(lib.blobs.tmpDir).length}`;
}

function rezip(zipPath: string, edit: (entries: Record<string, Uint8Array>) => void): Uint8Array {
  const entries = unzipSync(readFileSync(zipPath));
  edit(entries);
  const files: Zippable = {};
  for (const [name, bytes] of Object.entries(entries)) files[name] = bytes;
  return zipSync(files);
}

const editManifest = (entries: Record<string, Uint8Array>, fn: (m: Record<string, any>) => void): void => {
  const m = JSON.parse(strFromU8(entries['manifest.json']!));
  fn(m);
  entries['manifest.json'] = strToU8(JSON.stringify(m));
};

describe('project bundles', () => {
  it('exports a project with its chosen takes and imports it into another library intact', async () => {
    const { zipPath, source, renderId } = await exportedBundle();
    const entries = unzipSync(readFileSync(zipPath));
    const manifest = JSON.parse(strFromU8(entries['manifest.json']!));
    expect(manifest).toMatchObject({
      format: 'midi-valle-bundle',
      version: 1,
      project: { name: 'Fugues' },
    });
    expect(manifest.renders[0].segments.map((s: { take: { seed: number } }) => s.take.seed)).toEqual([42, 42, 42]);
    for (const name of Object.keys(entries))
      if (name !== 'manifest.json') expect(sha256Hex(entries[name]!)).toBe(name.slice(6));

    const target = openLibrary(tempHome('dst'));
    const result = importProjectBundle(target, zipPath);
    expect(result).toMatchObject({
      projectName: 'Fugues',
      pieces: 1,
      renders: 1,
      takes: 3,
      performersAdded: 1,
      performersReused: 0,
    });
    const [piece] = listPieces(target, result.projectId);
    expect(piece!.title).toBe('Sample A');
    expect(Buffer.from(target.getBlob(piece!.midiHash)).equals(Buffer.from(source.getBlob(piece!.midiHash)))).toBe(
      true,
    );
    const [render] = listRenders(target);
    expect(render).toMatchObject({
      status: 'done',
      performerName: 'Prompt A',
      segmentCount: 3,
      segmentsWithTake: 3,
    });
    const imported = listTakes(target, render!.id);
    const original = listTakes(source, renderId).filter((t) => t.chosen);
    expect(imported.map((t) => [t.segmentIndex, t.audioHash, t.chosen])).toEqual(
      original.map((t) => [t.segmentIndex, t.audioHash, true]),
    );
    expect(checkLibrary(target).problems).toEqual([]);
    expect(target.db.prepare(`SELECT count(*) FROM exports`).pluck().get()).toBe(0);
    expect(source.db.prepare(`SELECT kind FROM exports`).pluck().all()).toEqual(['bundle']);

    // importing again gives a second copy and reuses the identical performer
    const second = importProjectBundle(target, zipPath);
    expect(second).toMatchObject({ performersAdded: 0, performersReused: 1 });
    expect(listProjects(target)).toHaveLength(2);
    expect(listPerformers(target)).toHaveLength(1);
    source.close();
    target.close();
  });

  it('renames an imported performer whose name is taken by a different prompt', async () => {
    const { zipPath } = await exportedBundle();
    const target = openLibrary(tempHome('dst'));
    addPromptPerformer(target, 'Prompt A', 'B');
    const result = importProjectBundle(target, zipPath);
    expect(result.performersAdded).toBe(1);
    expect(
      listPerformers(target)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Prompt A', 'Prompt A (2)']);
    target.close();
  });

  const tamperings: Array<[string, (e: Record<string, Uint8Array>) => void, RegExp]> = [
    [
      'a blob altered after export',
      (e) => {
        const name = Object.keys(e).find((n) => n.startsWith('blobs/'))!;
        const bytes = new Uint8Array(e[name]!);
        bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
        e[name] = bytes;
      },
      /does not match its hash/,
    ],
    [
      'a path escaping the library',
      (e) => {
        e['../../evil.sh'] = strToU8('rm -rf /');
      },
      /unexpected entry "..\/..\/evil.sh"/,
    ],
    [
      'an absolute path',
      (e) => {
        e['/etc/passwd'] = strToU8('x');
      },
      /unexpected entry/,
    ],
    [
      'a blob entry the manifest does not list',
      (e) => {
        const extra = strToU8('smuggled');
        e[`blobs/${sha256Hex(extra)}`] = extra;
      },
      /is not listed in the manifest/,
    ],
    [
      'a missing blob',
      (e) => {
        delete e[Object.keys(e).find((n) => n.startsWith('blobs/'))!];
      },
      /is listed but missing/,
    ],
    ['a wrong blob size', (e) => editManifest(e, (m) => (m.blobs[0].size += 1)), /the manifest says/],
    [
      'an unknown manifest field',
      (e) => editManifest(e, (m) => (m.script = 'x')),
      /manifest\.json: .*(unrecognized|Unrecognized)/,
    ],
    [
      'a render naming an unknown piece',
      (e) => editManifest(e, (m) => (m.renders[0].pieceId = 'nope')),
      /unknown piece nope/,
    ],
    ['a bad engine name', (e) => editManifest(e, (m) => (m.renders[0].engine = 'other')), /renders\.0\.engine/],
    [
      'a take using an unlisted blob',
      (e) => editManifest(e, (m) => (m.renders[0].segments[0].take.audioHash = 'a'.repeat(64))),
      /is used but not listed/,
    ],
    ['no manifest', (e) => delete e['manifest.json'], /manifest\.json is missing/],
  ];

  describe('tampered bundles', () => {
    let zipPath: string;
    let target: Library;
    beforeAll(async () => {
      ({ zipPath } = await exportedBundle());
      target = openLibrary(tempHome('dst'));
      addPromptPerformer(target, 'Someone');
    });
    afterAll(() => target.close());

    for (const [what, edit, message] of tamperings) {
      it(`refuses a bundle with ${what}, changing nothing`, () => {
        const before = snapshot(target);
        const bytes = rezip(zipPath, edit);
        expect(() => importProjectBundle(target, bytes)).toThrow(message);
        try {
          importProjectBundle(target, bytes);
        } catch (error) {
          expect(error).toMatchObject({
            code: 'bad-input',
            message: expect.stringMatching(/^not a valid MIDI-VALLE project bundle: /),
          });
        }
        expect(snapshot(target)).toBe(before);
      });
    }
  });

  it('refuses a file that is not a zip', () => {
    const target = openLibrary(tempHome('dst'));
    const path = join(target.home, 'not.zip');
    writeFileSync(path, 'hello');
    expect(() => importProjectBundle(target, path)).toThrow(/the zip cannot be read/);
    expect(() => importProjectBundle(target, join(target.home, 'absent.zip'))).toThrow(/no bundle file/);
    target.close();
  });
});
