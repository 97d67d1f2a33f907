import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  chooseTake,
  createRender,
  createRenderJob,
  findCachedTake,
  getJob,
  getRender,
  listSegments,
  listTakes,
  openLibrary,
  renderCacheKey,
  sha256Hex,
  markOrphanedJobsInterrupted,
} from '../../electron/library';
import { segmentSeed } from '../../electron/shared/seeds';
import { isRunningHere, type JobProgress } from '../../electron/services/render/job-run';
import {
  fixtureSegments,
  seedLibrary,
  segmentFrequency,
  sineRenderer,
  sineWav,
  tempHome,
  runRenderJob,
} from './library-fixtures';

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('render jobs', () => {
  it('renders every segment once, stores one complete take each, chooses it and reports progress', async () => {
    const lib = openLibrary(tempHome());
    const { render } = seedLibrary(lib, 5);
    const job = createRenderJob(lib, render.id);
    expect(job.status).toBe('queued');
    expect(job.total).toBe(5);
    const calls: number[] = [];
    const progress: JobProgress[] = [];
    const done = await runRenderJob(lib, job.id, sineRenderer({ calls }), { onProgress: (p) => progress.push(p) });
    expect(done.status).toBe('done');
    expect(done.done).toBe(5);
    expect(calls).toEqual([0, 1, 2, 3, 4]);
    expect(progress.map((p) => [p.done, p.segmentIndex, p.reused])).toEqual(
      [0, 1, 2, 3, 4].map((i) => [i + 1, i, false]),
    );
    expect(getRender(lib, render.id).status).toBe('done');
    const takes = listTakes(lib, render.id);
    expect(takes).toHaveLength(5);
    for (const take of takes) {
      expect(take.chosen).toBe(true);
      expect(take.jobId).toBe(job.id);
      // the stored audio is exactly what the renderer produced for that segment, with the segment's own seed
      expect(take.seed).toBe(42);
      expect(take.segmentSeed).toBe(segmentSeed(42, take.segmentIndex));
      expect(take.audioHash).toBe(sha256Hex(sineWav(segmentFrequency(take.segmentIndex, take.segmentSeed!), 0.05)));
      expect(lib.getBlob(take.audioHash).byteLength).toBe(44 + 400 * 2);
    }
    // running a finished job again does nothing
    const again = await runRenderJob(lib, job.id, sineRenderer({ calls }));
    expect(again.status).toBe('done');
    expect(calls).toHaveLength(5);
    lib.close();
  });

  it('resumes a cancelled job from the next segment, never re-rendering finished ones', async () => {
    const lib = openLibrary(tempHome());
    const { render } = seedLibrary(lib, 6);
    const job = createRenderJob(lib, render.id);
    const controller = new AbortController();
    const calls: number[] = [];
    await expect(
      runRenderJob(lib, job.id, sineRenderer({ calls }), {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done === 2) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(getJob(lib, job.id)).toMatchObject({ status: 'cancelled', done: 2 });
    expect(getRender(lib, render.id).status).toBe('cancelled');
    expect(listTakes(lib, render.id)).toHaveLength(2);
    const resumed = await runRenderJob(lib, job.id, sineRenderer({ calls }));
    expect(resumed).toMatchObject({ status: 'done', done: 6 });
    expect(calls).toEqual([0, 1, 2, 3, 4, 5]);
    expect(listTakes(lib, render.id).map((t) => t.segmentIndex)).toEqual([0, 1, 2, 3, 4, 5]);
    lib.close();
  });

  it('marks a failed job failed with the reason, and finishes it on retry', async () => {
    const lib = openLibrary(tempHome());
    const { render } = seedLibrary(lib, 3);
    const job = createRenderJob(lib, render.id);
    const good = sineRenderer();
    let failOn: number | undefined = 1;
    const flaky: typeof good = async (work) => {
      if (work.segment.index === failOn) throw new Error('GPU out of memory');
      return good(work);
    };
    await expect(runRenderJob(lib, job.id, flaky)).rejects.toThrow(/GPU out of memory/);
    expect(getJob(lib, job.id)).toMatchObject({ status: 'failed', done: 1, error: 'GPU out of memory' });
    expect(getRender(lib, render.id)).toMatchObject({ status: 'failed', error: 'GPU out of memory' });
    failOn = undefined;
    expect(await runRenderJob(lib, job.id, flaky)).toMatchObject({ status: 'done', done: 3, error: null });
    lib.close();
  });

  it('a job that fails stops engine work it started for later segments (a batch under way)', async () => {
    const lib = openLibrary(tempHome());
    const { render } = seedLibrary(lib, 3);
    const job = createRenderJob(lib, render.id);
    const good = sineRenderer();
    const signals: Array<AbortSignal | undefined> = [];
    const failing: typeof good = async (work) => {
      signals.push(work.signal); // an engine that batches keeps generating later segments under this signal
      if (work.segment.index === 1) throw new Error('disk full');
      return good(work);
    };
    await expect(runRenderJob(lib, job.id, failing)).rejects.toThrow(/disk full/);
    expect(getJob(lib, job.id).status).toBe('failed');
    expect(signals.map((s) => s?.aborted)).toEqual([true, true]);
    lib.close();
  });

  it('turns a job left running by a dead process into interrupted at start-up, then resumes it', async () => {
    const home = tempHome();
    let lib = openLibrary(home);
    const { render } = seedLibrary(lib, 4);
    const job = createRenderJob(lib, render.id);
    const calls: number[] = [];
    // one segment done, then the process "dies" while running
    await runRenderJob(lib, createRenderJob(lib, render.id, { segments: [0] }).id, sineRenderer({ calls }));
    lib.db.prepare(`UPDATE jobs SET status = 'running', owner_pid = ? WHERE id = ?`).run(deadPid(), job.id);
    lib.db.prepare(`UPDATE renders SET status = 'rendering' WHERE id = ?`).run(render.id);
    lib.close();

    lib = openLibrary(home);
    // what a studio does when it opens its library
    markOrphanedJobsInterrupted(lib, isRunningHere);
    expect(getJob(lib, job.id).status).toBe('interrupted');
    expect(getRender(lib, render.id).status).toBe('interrupted');
    // segment 0 already has a take with the same cache key: reused without rendering
    const progress: JobProgress[] = [];
    expect(
      await runRenderJob(lib, job.id, sineRenderer({ calls }), { onProgress: (p) => progress.push(p) }),
    ).toMatchObject({ status: 'done', done: 4 });
    expect(calls).toEqual([0, 1, 2, 3]);
    expect(progress.map((p) => p.reused)).toEqual([true, false, false, false]);
    expect(listTakes(lib, render.id)).toHaveLength(4);
    lib.close();
  });

  it('leaves a job whose owner process still runs alone, and refuses to run it twice', async () => {
    const home = tempHome();
    let lib = openLibrary(home);
    const { render } = seedLibrary(lib, 2);
    const job = createRenderJob(lib, render.id);
    lib.db.prepare(`UPDATE jobs SET status = 'running', owner_pid = ? WHERE id = ?`).run(process.ppid, job.id);
    lib.close();
    lib = openLibrary(home);
    expect(markOrphanedJobsInterrupted(lib, isRunningHere)).toEqual([]);
    expect(getJob(lib, job.id).status).toBe('running');
    await expect(runRenderJob(lib, job.id, sineRenderer())).rejects.toThrow(/already running/);
    lib.close();
  });

  it('reuses a cached take for an identical segment at once, and renders anew when the seed or prompt differ', async () => {
    const lib = openLibrary(tempHome());
    const seeded = seedLibrary(lib, 3);
    await runRenderJob(lib, createRenderJob(lib, seeded.render.id).id, sineRenderer());
    const segments = fixtureSegments(3, seeded.piece.midiHash);
    const twin = createRender(lib, {
      pieceId: seeded.piece.id,
      performerId: seeded.performer.id,
      engine: 'neural',
      pack: { id: 'midi-valle-base', version: '1.0.0' },
      params: { topK: 50, temperature: 0.9 }, // same parameters, other key order
      seed: 42,
      segments,
    });
    const calls: number[] = [];
    await runRenderJob(lib, createRenderJob(lib, twin.id).id, sineRenderer({ calls }));
    expect(calls).toEqual([]);
    const first = listTakes(lib, seeded.render.id);
    const second = listTakes(lib, twin.id);
    expect(second.map((t) => t.audioHash)).toEqual(first.map((t) => t.audioHash));
    expect(second.every((t) => t.segmentId !== first[0]!.segmentId)).toBe(true);

    const key = renderCacheKey({
      pack: { id: 'midi-valle-base', version: '1.0.0' },
      tokensHash: segments[1]!.tokensHash,
      voice: null,
      seed: segmentSeed(42, 1),
      params: { temperature: 0.9, topK: 50 },
    });
    expect(findCachedTake(lib, key)?.audioHash).toBe(first[1]!.audioHash);
    expect(
      findCachedTake(
        lib,
        renderCacheKey({
          pack: { id: 'midi-valle-base', version: '1.0.1' },
          tokensHash: segments[1]!.tokensHash,
          voice: null,
          seed: segmentSeed(42, 1),
          params: { temperature: 0.9, topK: 50 },
        }),
      ),
    ).toBeUndefined();

    // a new seed for segment 1 gives a second take of that segment; the first stays chosen
    await runRenderJob(
      lib,
      createRenderJob(lib, seeded.render.id, { segments: [1], seed: 7 }).id,
      sineRenderer({ calls }),
    );
    expect(calls).toEqual([1]);
    const seg1 = listTakes(lib, seeded.render.id, 1);
    expect(seg1.map((t) => [t.seed, t.chosen])).toEqual([
      [42, true],
      [7, false],
    ]);
    expect(chooseTake(lib, seg1[1]!.id).chosen).toBe(true);
    expect(listTakes(lib, seeded.render.id, 1).map((t) => t.chosen)).toEqual([false, true]);

    // another voice (the performer's prompt codes under a pack, a room) changes the key: rendered again
    await runRenderJob(lib, createRenderJob(lib, seeded.render.id, { segments: [2] }).id, sineRenderer({ calls }), {
      voice: 'prompt-codes-hash',
    });
    expect(calls).toEqual([1, 2]);
    expect(listSegments(lib, seeded.render.id)).toHaveLength(3);
    lib.close();
  });
});
