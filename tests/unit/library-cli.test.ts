import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRenderJob, listRenders, listTakes, openLibrary, runRenderJob } from '../../electron/library';
import { runCli } from '../support/cli';
import { seedLibrary, sineRenderer, tempHome } from './library-fixtures';

const json = <T>(args: string[]): T => {
  const run = runCli(['--json', ...args]);
  if (run.code !== 0) throw new Error(`midi-valle ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
};

describe('midi-valle library / renders / takes / performers', () => {
  let home: string;
  let ids: { project: string; render: string; performer: string };

  beforeAll(async () => {
    home = tempHome('cli');
    const lib = openLibrary(home);
    const seeded = seedLibrary(lib, 3);
    await runRenderJob(lib, createRenderJob(lib, seeded.render.id).id, sineRenderer());
    await runRenderJob(lib, createRenderJob(lib, seeded.render.id, { segments: [1], seed: 9 }).id, sineRenderer());
    ids = { project: seeded.project.id, render: seeded.render.id, performer: seeded.performer.id };
    lib.close();
  });

  it('lists and shows renders', () => {
    const list = json<Array<{ id: string; status: string; segmentsWithTake: number; performerName: string }>>([
      '--home',
      home,
      'renders',
      'list',
    ]);
    expect(list).toEqual([
      expect.objectContaining({ id: ids.render, status: 'done', segmentsWithTake: 3, performerName: 'Prompt A' }),
    ]);
    const show = json<{ segments: Array<{ index: number; takes: number; chosenTakeId: string }> }>([
      '--home',
      home,
      'renders',
      'show',
      ids.render,
    ]);
    expect(show.segments.map((s) => [s.index, s.takes])).toEqual([
      [0, 1],
      [1, 2],
      [2, 1],
    ]);
    const missing = runCli(['--home', home, 'renders', 'show', 'nope']);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim()).toBe('error: no render nope; list them with "midi-valle renders list"');
  });

  it('lists takes of a segment and chooses one', () => {
    const takes = json<Array<{ id: string; seed: number; chosen: boolean }>>([
      '--home',
      home,
      'takes',
      'list',
      '--render',
      ids.render,
      '--segment',
      '2', // the second segment: people count from 1
    ]);
    expect(takes.map((t) => [t.seed, t.chosen])).toEqual([
      [42, true],
      [9, false],
    ]);
    expect(json<{ chosen: boolean }>(['--home', home, 'takes', 'choose', takes[1]!.id]).chosen).toBe(true);
    const lib = openLibrary(home);
    expect(listTakes(lib, ids.render, 1).map((t) => t.chosen)).toEqual([false, true]);
    lib.close();
    expect(runCli(['--home', home, 'takes', 'list']).code).toBe(2);
  });

  it('exports a project, imports it, and checks and cleans the library', () => {
    const zip = join(tempHome('cli-zip'), 'p.zip');
    const exported = json<{ takes: number; path: string }>([
      '--home',
      home,
      'library',
      'export',
      ids.project,
      '--out',
      zip,
    ]);
    expect(exported).toMatchObject({ takes: 3, path: zip });
    expect(existsSync(zip)).toBe(true);
    const other = tempHome('cli-dst');
    expect(json<{ takes: number; renders: number }>(['--home', other, 'library', 'import', zip])).toMatchObject({
      takes: 3,
      renders: 1,
    });
    expect(json<{ ok: boolean; problems: unknown[] }>(['--home', other, 'library', 'check'])).toMatchObject({
      ok: true,
      problems: [],
    });
    expect(json<{ removedBlobs: number }>(['--home', other, 'library', 'gc', '--grace-minutes', '0'])).toMatchObject({
      removedBlobs: 0,
    });

    const bad = join(tempHome('cli-bad'), 'bad.zip');
    writeFileSync(bad, 'not a zip');
    const refused = runCli(['--home', other, 'library', 'import', bad]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^error: not a valid MIDI-VALLE project bundle: /);
  });

  it('reports problems in human form with exit code 1', () => {
    const broken = tempHome('cli-broken');
    const lib = openLibrary(broken);
    const seeded = seedLibrary(lib, 1);
    const temp = join(lib.blobs.tmpDir, 'x.tmp');
    writeFileSync(temp, 'partial');
    lib.close();
    expect(seeded.piece.id).toBeTruthy();
    // a young temp file is someone's write in progress: not a problem yet
    expect(runCli(['--home', broken, 'library', 'check']).code).toBe(0);
    const lib2 = openLibrary(broken);
    lib2.blobs.remove(seeded.performer.promptTokensHash!);
    lib2.close();
    const check = runCli(['--home', broken, 'library', 'check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/problem: missing-blob: performers\.prompt_tokens_hash/);
  });

  it('lists, shows and removes performers, refusing while renders use them', () => {
    const list = json<Array<{ id: string; name: string; renderCount: number }>>(['--home', home, 'performers', 'list']);
    expect(list).toEqual([expect.objectContaining({ id: ids.performer, name: 'Prompt A', renderCount: 1 })]);
    const refused = runCli(['--home', home, 'performers', 'remove', ids.performer]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/used by 1 render\(s\); remove those first or pass --force/);
    expect(
      json<{ removedRenders: number }>(['--home', home, 'performers', 'remove', ids.performer, '--force']),
    ).toMatchObject({ removedRenders: 1 });
    const lib = openLibrary(home);
    expect(listRenders(lib)).toEqual([]);
    lib.close();
  });
});
