// Issue 14, finding 6: `library check` and `--repair` while a render commits takes. The render runs on
// its own connection (as the studio does in another process); its commits are placed exactly in the
// gap that used to lose takes: after the check has listed the blob store.
import { describe, expect, it } from 'vitest';
import {
  checkLibrary,
  createRenderJob,
  insertTake,
  listSegments,
  listTakes,
  openLibrary,
  type Library,
} from '../../electron/library';
import { runRenderJob, seedLibrary, segmentFrequency, sineRenderer, sineWav, tempHome } from './library-fixtures';

/** Stores a take's audio, then commits its row: the order every writer of the studio uses. */
function commitTake(lib: Library, segmentId: number, seed: number): void {
  const audioHash = lib.putBlob(sineWav(segmentFrequency(segmentId, seed), 0.05));
  lib.write(() =>
    insertTake(lib, {
      segmentId,
      jobId: null,
      seed,
      segmentSeed: seed,
      params: {},
      cacheKey: `concurrent-${segmentId}-${seed}`,
      audioHash,
      audioFormat: 'wav',
      sampleRate: 8000,
      channels: 1,
      duration: 0.05,
    }),
  );
}

describe('library check during a render', () => {
  it('neither reports nor deletes takes committed while it runs', async () => {
    const home = tempHome('sec-check');
    const renderer = openLibrary(home);
    const { render } = seedLibrary(renderer, 3);
    await runRenderJob(renderer, createRenderJob(renderer, render.id).id, sineRenderer());
    const segments = listSegments(renderer, render.id);
    const checker = openLibrary(home);
    const scan = checker.blobs.scan.bind(checker.blobs);
    let seed = 100;
    checker.blobs.scan = () => {
      const listing = scan();
      for (const segment of segments) commitTake(renderer, segment.id, seed++);
      return listing;
    };
    for (let run = 0; run < 5; run++) {
      const plain = checkLibrary(checker);
      expect(plain.problems).toEqual([]);
      const repaired = checkLibrary(checker, { repair: true });
      expect(repaired.problems).toEqual([]);
    }
    // 1 take per segment from the job, plus 10 committed during the checks: none lost.
    expect(listTakes(renderer, render.id)).toHaveLength(3 + 10 * 3);
    checker.blobs.scan = scan;
    expect(checkLibrary(checker).problems).toEqual([]);
    checker.close();
    renderer.close();
  });

  it('still repairs a take whose audio really is missing', async () => {
    const lib = openLibrary(tempHome('sec-check-real'));
    const { render } = seedLibrary(lib, 2);
    await runRenderJob(lib, createRenderJob(lib, render.id).id, sineRenderer());
    const victim = listTakes(lib, render.id, 0)[0]!;
    lib.blobs.remove(victim.audioHash);
    const report = checkLibrary(lib, { repair: true });
    expect(report.problems.map((p) => [p.kind, p.repaired])).toEqual([['take-without-audio', true]]);
    expect(listTakes(lib, render.id).map((t) => t.segmentIndex)).toEqual([1]);
    lib.close();
  });
});
