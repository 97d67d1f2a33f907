// The neural engine behind the services, with the committed tiny random-weight pack: the whole
// path (prompt codes, tokens, AR + NAR + codec in the engine process, takes, mix) on real inputs.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importMidi, writeMidi } from '../../electron/midi';
import { EngineClient, type GenerateProgress, type SegmentResult } from '../../electron/engine';
import { toFileData } from '../../electron/services/file-data';
import { setEngineFactory } from '../../electron/services/neural/engine-session';
import { testStudio } from '../support/studio';
import { projectDir, testdata } from '../support/shared-data';

// The real engine process, with its pack loads and prompt encodes counted and its generate calls watched
// (and, where a test says so, their end held back): the engine itself runs unchanged.
let loads = 0;
let encodes = 0;
let engine: EngineClient;
const tap: {
  progress?: (progress: GenerateProgress) => void;
  segment?: (result: SegmentResult) => void;
  end?: () => Promise<void>;
  calls: Array<Promise<unknown>>;
} = { calls: [] };
setEngineFactory(() => {
  const client = EngineClient.fork();
  engine = client;
  const loadPack = client.loadPack.bind(client);
  client.loadPack = (...args) => {
    loads++;
    return loadPack(...args);
  };
  const encodePrompt = client.encodePrompt.bind(client);
  client.encodePrompt = (...args) => {
    encodes++;
    return encodePrompt(...args);
  };
  const generate = client.generate.bind(client);
  client.generate = (prompt, segments, options, callOptions = {}) => {
    const { onSegment, onProgress } = callOptions;
    const call = generate(prompt, segments, options, {
      ...callOptions,
      onProgress: (progress) => {
        tap.progress?.(progress);
        onProgress?.(progress);
      },
      ...(onSegment
        ? {
            onSegment: (result: SegmentResult) => {
              tap.segment?.(result);
              onSegment(result);
            },
          }
        : {}),
    });
    tap.calls.push(call.catch(() => undefined));
    return call.then(async (results) => {
      await tap.end?.();
      return results;
    });
  };
  return client;
});
const { studio, call, failure, jobEnd } = testStudio('mv-neural-');
const TINY = 'random-tiny-1';
afterAll(() => studio.close());

/** A performer made of an official prompt (A or B): its 3-s recording and MIDI. */
async function addPromptPerformer(letter: 'A' | 'B'): Promise<string> {
  const file = (ext: string) =>
    toFileData(`prompt_${letter}.${ext}`, readFileSync(testdata(`midi-valle/prompt_${letter}.${ext}`)));
  const added = await call('performers.add', {
    name: `Prompt ${letter}`,
    audio: file('wav'),
    midi: file('midi'),
    licence: 'CC0',
    consent: 'self',
  });
  return added.id;
}

/** The first 40 s of a real performance (ASAP): three segments. */
function bachExcerpt(): Uint8Array {
  const { performance } = importMidi(readFileSync(testdata('asap/Bach_Fugue_bwv_848_Lou01M.mid')));
  return writeMidi(performance.notes.filter((n) => n.onset < 40));
}

describe('neural renders with the built-in test pack', () => {
  let pieceId = '';
  let performerId = '';
  let firstRender = '';

  it('lists the built-in pack with its honest label', async () => {
    const packs = await call<Array<{ id: string; builtIn: boolean; attribution: string }>>('packs.list', {});
    // A developer's own packs in native-models/packs are built in too; the committed one is always there.
    const tiny = packs.find((p) => p.id === TINY);
    expect(tiny?.builtIn).toBe(true);
    expect(tiny?.attribution).toMatch(/random/i);
    const info = await call('app.info', {});
    expect(info.engines.find((e: { id: string }) => e.id === 'neural').available).toBe(false);
  });

  it('prepares a chosen pack once, however often it is asked, and renders start on it without loading again', async () => {
    const [a, b] = await Promise.all([call('packs.prepare', { id: TINY }), call('packs.prepare', { id: TINY })]);
    expect(a).toMatchObject({ id: TINY, provider: 'cpu' });
    expect(b.provider).toBe('cpu');
    expect(loads).toBe(1);
    const again = await call('packs.prepare', { id: TINY });
    expect(again.seconds).toBeLessThan(a.seconds);
    expect(loads).toBe(1);
    expect((await failure('packs.prepare', { id: 'no-such-pack' })).code).toBe('not-found');
  });

  it('renders every segment through the engine process, with progress, on the CPU', async () => {
    pieceId = (await call('pieces.import', { file: toFileData('bach-excerpt.mid', bachExcerpt()) })).id;
    performerId = await addPromptPerformer('B');
    const progress: string[] = [];
    const off = studio.events.subscribe((e) => e.type === 'job.progress' && progress.push(e.stage));
    const { renderId, jobId } = await call('renders.start', {
      pieceId,
      performerId,
      engine: 'neural',
      packId: TINY,
      seed: 11,
      batch: 2,
    });
    firstRender = renderId;
    expect((await jobEnd(jobId)).status).toBe('done');
    expect(loads).toBe(1); // the pack prepared above
    off();
    expect(progress.length).toBeGreaterThan(0);
    const render = await call('renders.get', { id: renderId });
    expect(render.engine).toBe('neural');
    expect(render.provider).toBe('cpu');
    expect(render.segments.length).toBeGreaterThanOrEqual(2);
    for (const s of render.segments) expect(s.takes.length).toBe(1);
    expect(render.mix.sampleRate).toBe(32000);
    expect(render.mix.duration).toBeGreaterThan(39);
  });

  it('exports hand stems generated separately and aligned with the mix', async () => {
    const mix = await call('exports.run', { renderId: firstRender, kind: 'mix', format: 'wav', sampleRate: 32000 });
    const stems = await call('exports.run', {
      renderId: firstRender,
      kind: 'stems-hands',
      format: 'wav',
      sampleRate: 32000,
    });
    const stemFiles = stems.files.filter((f: { role: string }) => f.role === 'stem');
    expect(stemFiles.length).toBe(2);
    for (const f of stemFiles) {
      expect(f.duration).toBe(mix.files[0].duration);
      expect(f.bytes).toBe(mix.files[0].bytes);
    }
  });

  it('cancels a render mid-way and resumes it to completion', async () => {
    const { renderId, jobId } = await call('renders.start', {
      pieceId,
      performerId,
      engine: 'neural',
      packId: TINY,
      seed: 12,
    });
    const firstTake = new Promise<void>((resolve) => {
      const off = studio.events.subscribe((e) => {
        if (e.type === 'job.progress' && e.jobId === jobId && e.done >= 1) {
          off();
          resolve();
        }
      });
    });
    await firstTake;
    expect((await call('renders.cancel', { jobId })).cancelled).toBe(true);
    expect((await jobEnd(jobId)).status).toBe('cancelled');
    const partial = await call('renders.get', { id: renderId });
    expect(partial.status).toBe('cancelled');
    expect(partial.segments.some((s: { takes: unknown[] }) => s.takes.length === 0)).toBe(true);
    expect(partial.mix).toBeNull();

    const { jobIds } = await call('renders.resume', { id: renderId });
    expect(jobIds).toEqual([jobId]);
    expect((await jobEnd(jobId)).status).toBe('done');
    const finished = await call('renders.get', { id: renderId });
    expect(finished.status).toBe('done');
    expect(finished.segments.every((s: { takes: unknown[] }) => s.takes.length === 1)).toBe(true);
    expect(finished.mix).not.toBeNull();
  });

  it("encodes a chosen performer's prompt ahead of Render, once, and the render then uses those codes", async () => {
    const promptA = await addPromptPerformer('A');
    const before = encodes;
    // The studio asks as the performer is picked, perhaps twice; a render may start meanwhile.
    const [a, b] = await Promise.all([
      call('packs.prepare', { id: TINY, performerId: promptA }),
      call('packs.prepare', { id: TINY, performerId: promptA }),
    ]);
    expect(a).toMatchObject({ id: TINY, promptReady: true });
    expect(b.promptReady).toBe(true);
    expect(encodes - before).toBe(1);
    const { jobId } = await call('renders.start', {
      pieceId,
      performerId: promptA,
      engine: 'neural',
      packId: TINY,
      seed: 5,
    });
    expect((await jobEnd(jobId)).status).toBe('done');
    expect(encodes - before).toBe(1);
    expect((await call('packs.prepare', { id: TINY })).promptReady).toBe(false);
    expect((await failure('packs.prepare', { id: TINY, performerId: 'no-such-performer' })).code).toBe('not-found');
  });

  it('stores each take of a batch as soon as its segment exists, while the engine still works on the group', async () => {
    const segments = (await call('renders.get', { id: firstRender })).segments.length;
    const log: string[] = [];
    let allStored = (): void => undefined;
    const stored = new Promise<void>((resolve) => (allStored = resolve));
    let callEnded = (): void => undefined;
    const ended = new Promise<void>((resolve) => (callEnded = resolve));
    // The tiny pack decodes the rest of a group in milliseconds, too fast to watch: the engine call's end is
    // held until every take is stored (or 3 s pass), standing for an engine still at work on the group.
    tap.end = async () => {
      await Promise.race([stored, new Promise((resolve) => setTimeout(resolve, 3000))]);
      log.push('engine call ended');
      callEnded();
    };
    // Each stored take updates its render; so does the job's end, which may come before the engine's reply
    // is read. Listening starts before the job does, so no early take is missed.
    let ours = '';
    const updates: string[] = [];
    const off = studio.events.subscribe((e) => {
      if (e.type !== 'render.updated') return;
      updates.push(e.renderId);
      if (ours && updates.filter((id) => id === ours).length === segments) allStored();
      if (e.renderId === ours || !ours) log.push(`update ${e.renderId}`);
    });
    try {
      const { renderId, jobId } = await call('renders.start', {
        pieceId,
        performerId,
        engine: 'neural',
        packId: TINY,
        seed: 13,
        batch: segments, // one group: one engine call for the whole render
      });
      ours = renderId;
      expect((await jobEnd(jobId)).status).toBe('done');
      // The job may end (takes stored, mix made) before the engine's reply is read: wait for the call too.
      await ended;
      // every take was stored while the engine call was still held open
      const order = log.filter((entry) => entry === `update ${renderId}` || entry === 'engine call ended');
      expect(order.slice(0, segments)).toEqual(Array(segments).fill(`update ${renderId}`));
      expect(order.indexOf('engine call ended')).toBeGreaterThanOrEqual(segments);
      const render = await call('renders.get', { id: renderId });
      expect(render.segments.every((s: { takes: unknown[] }) => s.takes.length === 1)).toBe(true);
    } finally {
      off();
      tap.end = undefined;
    }
  });

  it('a batch render cancelled or failed mid-group stores no take and rejects every waiting segment', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let last = { renderId: '', jobId: '' };
    let stop = (): void => undefined;
    const stopOnce = (): void => {
      const now = stop;
      stop = () => undefined;
      now();
    };
    try {
      // Cancelled while the group's AR runs (every segment still waits), cancelled when the first segment
      // arrives (the others are still on their way), and an engine process that dies during the AR.
      for (const [seed, when, how, status] of [
        [14, 'ar', 'cancel', 'cancelled'],
        [15, 'first segment', 'cancel', 'cancelled'],
        [16, 'ar', 'engine exits', 'failed'],
      ] as const) {
        tap.calls = [];
        const { renderId, jobId } = await call('renders.start', {
          pieceId,
          performerId,
          engine: 'neural',
          packId: TINY,
          seed, // its own: the render cache holds no take of it
          batch: 3,
        });
        stop = () => (how === 'cancel' ? void studio.dispatch('renders.cancel', { jobId }) : engine.close());
        tap.progress = when === 'ar' ? (p) => p.phase === 'ar' && stopOnce() : undefined;
        tap.segment = when === 'first segment' ? stopOnce : undefined;
        const end = await jobEnd(jobId);
        expect(end.status, `${how} at ${when}`).toBe(status);
        if (how === 'engine exits') expect(end.message).toMatch(/engine process exited/);
        const partial = await call('renders.get', { id: renderId });
        expect(partial.segments.every((s: { takes: unknown[] }) => s.takes.length === 0)).toBe(true);
        expect(partial.mix).toBeNull();

        await Promise.all(tap.calls); // the stopped group's engine call has settled too
        last = { renderId, jobId };
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);

      // The render whose engine died resumes on a new engine process.
      tap.progress = tap.segment = undefined;
      const loadsBefore = loads;
      await call('renders.resume', { id: last.renderId });
      expect((await jobEnd(last.jobId)).status).toBe('done');
      expect(loads).toBe(loadsBefore + 1);
      const finished = await call('renders.get', { id: last.renderId });
      expect(finished.segments.every((s: { takes: unknown[] }) => s.takes.length === 1)).toBe(true);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      tap.progress = tap.segment = undefined;
    }
  });

  it('refuses a pack that does not exist with not-found', async () => {
    const result = await studio.dispatch('renders.start', { pieceId, performerId, engine: 'neural', packId: 'nope' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('names a bad pack before any render starts, and installs nothing broken', async () => {
    const tiny = join(projectDir, 'native-models', 'packs', 'tiny');
    const missing = mkdtempSync(join(tmpdir(), 'mv-badpack-'));
    cpSync(tiny, missing, { recursive: true });
    rmSync(join(missing, 'nar_stage.onnx'));
    const tampered = mkdtempSync(join(tmpdir(), 'mv-badpack-'));
    cpSync(tiny, tampered, { recursive: true });
    const step = readFileSync(join(tampered, 'ar_decoder.onnx'));
    step[step.length - 100]! ^= 0xff; // same size, other bytes: only the checksum can tell
    writeFileSync(join(tampered, 'ar_decoder.onnx'), step);
    const before = (await call<unknown[]>('renders.list', {})).length;
    for (const [dir, pattern] of [
      [missing, /nar_stage/],
      [tampered, /ar_decoder.*(sha256|checksum)|(sha256|checksum).*ar_decoder/i],
    ] as const) {
      const start = await studio.dispatch('renders.start', { pieceId, performerId, engine: 'neural', packId: dir });
      expect(start).toMatchObject({ ok: false, error: { code: 'bad-input' } });
      if (!start.ok) expect(start.error.message).toMatch(pattern);
      const install = await studio.dispatch('packs.import', { path: dir });
      expect(install).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    }
    expect((await call<unknown[]>('renders.list', {})).length).toBe(before);
    expect((await call<Array<{ builtIn: boolean }>>('packs.list', {})).filter((p) => !p.builtIn)).toEqual([]);
  });
});
