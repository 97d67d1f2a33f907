import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkLibrary,
  collectGarbage,
  createRenderJob,
  getJob,
  listTakes,
  openLibrary,
  removeTake,
  type Library,
} from '../../electron/library';
import { seedLibrary, sineRenderer, sineWav, tempHome, runRenderJob } from './library-fixtures';

const HOUR = 3600_000;
const age = (path: string, ms: number): void => {
  const t = new Date(Date.now() - ms);
  utimesSync(path, t, t);
};
const kinds = (lib: Library, repair = false): string[] =>
  checkLibrary(lib, { repair })
    .problems.map((p) => p.kind)
    .sort();

async function renderedLibrary(segments = 3): Promise<{ lib: Library; renderId: string; jobId: string }> {
  const lib = openLibrary(tempHome());
  const { render } = seedLibrary(lib, segments);
  const job = createRenderJob(lib, render.id);
  await runRenderJob(lib, job.id, sineRenderer());
  return { lib, renderId: render.id, jobId: job.id };
}

describe('integrity check', () => {
  it('finds nothing wrong in a healthy library', async () => {
    const { lib } = await renderedLibrary();
    const report = checkLibrary(lib);
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.checkedBlobs).toBeGreaterThan(6);
    lib.close();
  });

  it('reports a take whose audio is missing; repair deletes it and sends the segment back to its job', async () => {
    const { lib, renderId, jobId } = await renderedLibrary();
    const victim = listTakes(lib, renderId, 1)[0]!;
    lib.blobs.remove(victim.audioHash);
    expect(kinds(lib)).toEqual(['take-without-audio']);
    const report = checkLibrary(lib, { repair: true });
    expect(report.ok).toBe(true);
    expect(listTakes(lib, renderId).map((t) => t.segmentIndex)).toEqual([0, 2]);
    expect(getJob(lib, jobId)).toMatchObject({ status: 'interrupted', done: 2 });
    expect(kinds(lib)).toEqual([]);
    // the job resumes the segment it lost
    const calls: number[] = [];
    await runRenderJob(lib, jobId, sineRenderer({ calls }));
    expect(calls).toEqual([1]);
    expect(kinds(lib)).toEqual([]);
    lib.close();
  });

  it('detects altered blob bytes; repair quarantines the blob and drops the take using it', async () => {
    const { lib, renderId } = await renderedLibrary();
    const take = listTakes(lib, renderId, 0)[0]!;
    writeFileSync(lib.blobPath(take.audioHash), sineWav(999, 0.05));
    expect(kinds(lib)).toEqual(['hash-mismatch', 'take-without-audio']);
    expect(checkLibrary(lib, { verifyHashes: false }).problems).toEqual([]);
    checkLibrary(lib, { repair: true });
    expect(existsSync(lib.blobPath(take.audioHash))).toBe(false);
    expect(readdirSync(join(lib.home, 'blobs', 'quarantine'))).toHaveLength(1);
    expect(kinds(lib)).toEqual([]);
    lib.close();
  });

  it('reports a piece whose MIDI is missing but never deletes the piece', async () => {
    const { lib } = await renderedLibrary(1);
    const piece = lib.db.prepare('SELECT id, midi_hash FROM pieces').get() as { id: string; midi_hash: string };
    lib.blobs.remove(piece.midi_hash);
    const report = checkLibrary(lib, { repair: true });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'missing-blob', repairable: false })]);
    expect(lib.db.prepare('SELECT count(*) FROM pieces').pluck().get()).toBe(1);
    lib.close();
  });

  it('reports dangling references that bypassed foreign keys', async () => {
    const { lib } = await renderedLibrary(1);
    lib.db.pragma('foreign_keys = OFF');
    lib.db.prepare(`DELETE FROM segments`).run();
    lib.db.pragma('foreign_keys = ON');
    expect(kinds(lib)).toContain('dangling-reference');
    lib.close();
  });

  it('reports old temp files from killed writers and stray files; repair removes the temps only', async () => {
    const { lib } = await renderedLibrary(1);
    const old = join(lib.blobs.tmpDir, 'abc-1-dead.tmp');
    const young = join(lib.blobs.tmpDir, 'abc-2-live.tmp');
    writeFileSync(old, 'partial');
    writeFileSync(young, 'being written');
    age(old, 2 * HOUR);
    writeFileSync(join(lib.home, 'blobs', 'notes.txt'), 'x');
    expect(kinds(lib)).toEqual(['orphan-temp', 'stray-file']);
    checkLibrary(lib, { repair: true });
    expect(existsSync(old)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(kinds(lib)).toEqual(['stray-file']);
    lib.close();
  });
});

describe('garbage collection', () => {
  it('removes old unreferenced blobs only, keeping referenced ones and those inside the grace period', async () => {
    const { lib, renderId } = await renderedLibrary();
    const take = listTakes(lib, renderId, 2)[0]!;
    lib.db.prepare('UPDATE takes SET chosen = 0 WHERE id = ?').run(take.id);
    removeTake(lib, take.id);
    const fresh = lib.putBlob(sineWav(123, 0.01)); // written just now, not referenced yet
    for (const f of lib.blobs.scan().blobs) age(f.path, 2 * HOUR);
    age(lib.blobPath(fresh), 0);

    const dry = collectGarbage(lib, { dryRun: true });
    expect(dry).toMatchObject({ removedBlobs: 2, keptYoung: 1, dryRun: true }); // the take's audio and codes
    expect(existsSync(lib.blobPath(take.audioHash))).toBe(true);

    const report = collectGarbage(lib);
    expect(report).toMatchObject({ removedBlobs: 2, keptYoung: 1 });
    expect(report.freedBytes).toBeGreaterThan(800);
    expect(existsSync(lib.blobPath(take.audioHash))).toBe(false);
    expect(existsSync(lib.blobPath(fresh))).toBe(true);
    expect(checkLibrary(lib).problems).toEqual([]);
    // putting the same bytes again refreshes the file time, so an old unreferenced blob being reused survives gc
    const reused = lib.putBlob(sineWav(123, 0.01));
    age(lib.blobPath(reused), 2 * HOUR);
    lib.putBlob(sineWav(123, 0.01));
    expect(collectGarbage(lib).removedBlobs).toBe(0);
    lib.close();
  });

  it('refuses to remove a locked take', async () => {
    const { lib, renderId } = await renderedLibrary(1);
    const take = listTakes(lib, renderId)[0]!;
    lib.db.prepare('UPDATE takes SET locked = 1 WHERE id = ?').run(take.id);
    expect(() => removeTake(lib, take.id)).toThrow(/locked/);
    lib.close();
  });
});
