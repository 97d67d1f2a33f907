import { describe, expect, it } from 'vitest';
import {
  chosenTakes,
  collectGarbage,
  createRenderJob,
  getJob,
  listExports,
  listRenders,
  listTakes,
  openLibrary,
  queueRender,
  recordExport,
  removeRender,
  setTakeLocked,
} from '../../electron/library';
import { fixtureSegments, seedLibrary, sineRenderer, tempHome, runRenderJob } from './library-fixtures';

describe('renders, chosen takes and exports', () => {
  it('gives each segment its chosen take in order, null where none exists yet', async () => {
    const lib = openLibrary(tempHome());
    const { render } = seedLibrary(lib, 4);
    await runRenderJob(lib, createRenderJob(lib, render.id, { segments: [0, 2] }).id, sineRenderer());
    const playing = chosenTakes(lib, render.id);
    expect(playing.map((p) => [p.segment.index, p.take?.seed ?? null])).toEqual([
      [0, 42],
      [1, null],
      [2, 42],
      [3, null],
    ]);
    lib.close();
  });

  it('queues a render with its job atomically, and removes a render unless it has locked takes', async () => {
    const lib = openLibrary(tempHome());
    const { piece, performer } = seedLibrary(lib, 1);
    const { render, job } = queueRender(lib, {
      pieceId: piece.id,
      performerId: performer.id,
      engine: 'sampler',
      pack: { id: 'sampler', version: '1' },
      seed: 3,
      segments: fixtureSegments(2, piece.midiHash),
    });
    expect(getJob(lib, job.id)).toMatchObject({ renderId: render.id, status: 'queued', total: 2 });
    await runRenderJob(lib, job.id, sineRenderer());
    setTakeLocked(lib, listTakes(lib, render.id)[0]!.id, true);
    expect(() => removeRender(lib, render.id)).toThrow(/has 1 locked take\(s\)/);
    removeRender(lib, render.id, { force: true });
    expect(listRenders(lib).map((r) => r.id)).not.toContain(render.id);
    expect(() => getJob(lib, job.id)).toThrow(/no job/);
    // its audio is now unreferenced and goes at the next gc (grace 0 here)
    expect(collectGarbage(lib, { graceMs: 0 }).removedBlobs).toBeGreaterThan(0);
    lib.close();
  });

  it('records exports and lists them newest first', () => {
    const lib = openLibrary(tempHome());
    const { project, render } = seedLibrary(lib, 1);
    recordExport(lib, {
      projectId: project.id,
      renderId: render.id,
      kind: 'audio',
      settings: { format: 'flac' },
      files: [{ path: '/x/a.flac', bytes: 10, format: 'flac' }],
    });
    recordExport(lib, { projectId: project.id, kind: 'bundle', files: [{ path: '/x/p.zip', bytes: 20 }] });
    expect(listExports(lib, { projectId: project.id }).map((e) => [e.kind, e.files[0]!.path])).toEqual([
      ['bundle', '/x/p.zip'],
      ['audio', '/x/a.flac'],
    ]);
    expect(listExports(lib, { renderId: render.id })).toEqual([
      expect.objectContaining({ settings: { format: 'flac' } }),
    ]);
    lib.close();
  });
});
