// The render job's one home (electron/services/render/jobs.ts), through the contract as the UI and the
// CLI call it, with the neural engine's built-in tiny pack: per-segment seeds in the render cache,
// locked takes that are never replaced, and the CLI's takes choose doing exactly what the UI's does.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { listSegments } from '../../electron/library';
import { writeMidi } from '../../electron/midi';
import { toFileData } from '../../electron/services/file-data';
import { segmentSeed } from '../../electron/shared/seeds';
import { runCli } from '../support/cli';
import { testdata } from '../support/shared-data';
import { testStudio, type TestStudio } from '../support/studio';

/** One 12-s phrase played twice, 16 s apart: two segments whose notes, relative to their start, are equal. */
function twicePlayedPhrase(): Uint8Array {
  const notes = [];
  for (let rep = 0; rep < 2; rep++)
    for (let i = 0; i < 24; i++) {
      const onset = rep * 16 + i * 0.5;
      notes.push({
        pitch: 60 + ((i * 5) % 12),
        velocity: 50 + ((i * 7) % 40),
        onset,
        offset: onset + 0.4,
        track: 0,
        channel: 0,
        hand: 'right' as const,
      });
    }
  return writeMidi(notes);
}

interface Take {
  id: string;
  seed: number;
  segmentSeed: number | null;
  chosen: boolean;
  locked: boolean;
  audio: string;
}
interface Detail {
  segments: Array<{ index: number; takes: Take[] }>;
  mix: { audio: string } | null;
}

async function neuralSetup(t: TestStudio): Promise<{ pieceId: string; performerId: string }> {
  const pieceId = (await t.call('pieces.import', { file: toFileData('twice.mid', twicePlayedPhrase()) })).id;
  const performerId = (
    await t.call('performers.add', {
      name: 'Prompt A',
      licence: 'CC0',
      consent: 'self',
      audio: toFileData('prompt_A.wav', readFileSync(testdata('midi-valle/prompt_A.wav'))),
      midi: toFileData('prompt_A.midi', readFileSync(testdata('midi-valle/prompt_A.midi'))),
    })
  ).id;
  return { pieceId, performerId };
}

async function render(t: TestStudio, pieceId: string, performerId: string, seed: number): Promise<string> {
  const { renderId, jobId } = await t.call('renders.start', { pieceId, performerId, engine: 'neural', seed });
  expect((await t.jobEnd(jobId)).status).toBe('done');
  return renderId;
}

const takesOf = (detail: Detail) => detail.segments.map((s) => s.takes.find((t) => t.chosen)!);

describe('the render job: seeds, cache, locks and the CLI', () => {
  const warm = testStudio('mv-jobs-');
  const cold = testStudio('mv-jobs-cold-');
  afterAll(async () => {
    await warm.studio.close();
    await cold.studio.close();
  });
  let renderId = '';

  it('gives two segments with identical notes their own seeds and audio; the same seed gives the same bytes, cached or not', async () => {
    const { pieceId, performerId } = await neuralSetup(warm);
    renderId = await render(warm, pieceId, performerId, 5);
    const segments = listSegments(warm.studio.ctx.library(), renderId);
    expect(segments).toHaveLength(2);
    // precondition: the model input of both segments is the same
    expect(segments[0]!.tokensHash).toBe(segments[1]!.tokensHash);
    const first = takesOf(await warm.call<Detail>('renders.get', { id: renderId }));
    expect(first.map((t) => t.seed)).toEqual([5, 5]);
    expect(first.map((t) => t.segmentSeed)).toEqual([segmentSeed(5, 0), segmentSeed(5, 1)]);
    // the defect this guards against: segment 2 reusing segment 1's take from the cache
    expect(first[0]!.audio).not.toBe(first[1]!.audio);

    // again in the same library: every segment comes from the render cache, byte for byte
    const again = takesOf(await warm.call<Detail>('renders.get', { id: await render(warm, pieceId, performerId, 5) }));
    expect(again.map((t) => t.audio)).toEqual(first.map((t) => t.audio));

    // in a library with an empty cache: generated anew, the same bytes
    const fresh = await neuralSetup(cold);
    const coldTakes = takesOf(
      await cold.call<Detail>('renders.get', { id: await render(cold, fresh.pieceId, fresh.performerId, 5) }),
    );
    expect(coldTakes.map((t) => t.audio)).toEqual(first.map((t) => t.audio));
  });

  it('never replaces a locked take: regeneration is refused or skips it, and choosing another take is refused', async () => {
    const { jobId } = await warm.call('segments.regenerate', { renderId, segmentIndices: [1], seed: 9 });
    expect((await warm.jobEnd(jobId)).status).toBe('done');
    let detail = await warm.call<Detail>('renders.get', { id: renderId });
    const [original, second] = detail.segments[1]!.takes;
    expect(second!.segmentSeed).toBe(segmentSeed(9, 1));
    expect(original!.chosen).toBe(true);

    // locking a take that is not chosen makes it the chosen one
    expect(await warm.call('takes.lock', { takeId: second!.id, locked: true })).toEqual({ locked: true });
    detail = await warm.call<Detail>('renders.get', { id: renderId });
    expect(detail.segments[1]!.takes.find((t) => t.id === second!.id)).toMatchObject({ chosen: true, locked: true });

    const refused = await warm.failure('segments.regenerate', { renderId, segmentIndices: [1] });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toBe('segment 2 is locked; unlock its take to regenerate');
    const choose = await warm.failure('takes.choose', { takeId: original!.id });
    expect(choose.code).toBe('conflict');
    expect(choose.message).toMatch(/^segment 2 is locked to take .+; unlock it before choosing another take$/);
    const lockOther = await warm.failure('takes.lock', { takeId: original!.id, locked: true });
    expect(lockOther.code).toBe('conflict');

    // a range skips it and says so
    const range = await warm.call('segments.regenerate', { renderId, segmentIndices: [0, 1], skipLocked: true });
    expect(range.skipped).toEqual([1]);
    expect((await warm.jobEnd(range.jobId)).status).toBe('done');
    detail = await warm.call<Detail>('renders.get', { id: renderId });
    expect(detail.segments[1]!.takes.map((t) => t.id)).toEqual([original!.id, second!.id]);
    expect(detail.segments[0]!.takes.length).toBe(2);
    const onlyLocked = await warm.failure('segments.regenerate', { renderId, segmentIndices: [1], skipLocked: true });
    expect(onlyLocked.code).toBe('conflict');

    // the CLI says the same, with the exit code of a request the library refuses
    const cli = runCli([
      '--home',
      warm.studio.ctx.home,
      'segments',
      'regenerate',
      '--render',
      renderId,
      '--segments',
      '2',
    ]);
    expect(cli.code).toBe(3);
    expect(cli.stderr).toBe('error: segment 2 is locked; unlock its take to regenerate\n');

    expect(await warm.call('takes.lock', { takeId: second!.id, locked: false })).toEqual({ locked: false });
    await warm.call('takes.choose', { takeId: original!.id });
  });

  it("`midi-valle takes choose` changes the mix exactly as the UI's Choose does", async () => {
    const takes = (await warm.call<Detail>('renders.get', { id: renderId })).segments[1]!.takes;
    const [a, b] = takes;
    expect(takes.find((t) => t.chosen)!.id).toBe(a!.id);
    const mixA = (await warm.call<Detail>('renders.get', { id: renderId })).mix!.audio;

    const events: string[] = [];
    const off = warm.studio.events.subscribe((e) => e.type === 'render.updated' && events.push(e.renderId));
    const viaUi = await warm.call<Detail>('takes.choose', { takeId: b!.id });
    off();
    expect(events).toContain(renderId);
    expect(viaUi.mix!.audio).not.toBe(mixA);
    await warm.call('takes.choose', { takeId: a!.id });

    const cli = runCli(['--home', warm.studio.ctx.home, '--json', 'takes', 'choose', b!.id]);
    expect(cli.code).toBe(0);
    const viaCli = JSON.parse(cli.stdout) as Detail;
    expect(viaCli.mix!.audio).toBe(viaUi.mix!.audio);
    expect(viaCli.segments[1]!.takes.find((t) => t.id === b!.id)!.chosen).toBe(true);
    expect((await warm.call<Detail>('renders.get', { id: renderId })).mix!.audio).toBe(viaUi.mix!.audio);
  });
});
