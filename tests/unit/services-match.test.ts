// The performer match through the studio's services, as the UI and the CLI use it: a profile is
// fitted when a performer is added (and lazily for demo performers), stored with the performer,
// applied to sampled-grand renders (its version in the cache key), switchable off, carried into
// stems, and printed by `midi-valle performers show NAME --json`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../../electron/audio';
import { profileVersion, readProfile } from '../../electron/audio/match';
import { getPerformerProfile, putPerformerProfile } from '../../electron/library';
import { importMidi, writeMidi } from '../../electron/midi';
import { toFileData } from '../../electron/services/file-data';
import { runCli } from '../support/cli';
import { projectDir, testdata } from '../support/shared-data';
import { testStudio } from '../support/studio';

const { studio, call, jobEnd } = testStudio('mv-match-');
afterAll(() => studio.close());

const prompt = (name: string, ext: string) =>
  toFileData(`prompt_${name}.${ext}`, readFileSync(testdata(`midi-valle/prompt_${name}.${ext}`)));

/** Twelve seconds of the demo prelude: one or two segments, quick to render. */
function bachExcerpt(): Uint8Array {
  const { performance } = importMidi(readFileSync(join(projectDir, 'resources/demo/bach-prelude-c-major.mid')));
  return writeMidi(
    performance.notes.filter((n) => n.onset < 12),
    performance.pedals.filter((p) => p.time < 12),
  );
}

async function render(pieceId: string, performerId: string, match?: boolean): Promise<any> {
  const started = await call('renders.start', {
    pieceId,
    performerId,
    engine: 'sampler',
    seed: 7,
    ...(match === undefined ? {} : { match }),
  });
  expect((await jobEnd(started.jobId)).status).toBe('done');
  return call('renders.get', { id: started.renderId });
}

const takeHashes = (detail: any): string[] => detail.segments.map((s: any) => s.takes[0].audio);

describe('performer profiles in the studio', () => {
  let performerId = '';
  let pieceId = '';

  it('fits and stores a profile when a performer is added', async () => {
    const added = await call('performers.add', {
      name: 'Pianist A',
      licence: 'CC0',
      consent: 'self',
      audio: prompt('A', 'wav'),
      midi: prompt('A', 'midi'),
    });
    performerId = added.id;
    expect(added.warning).toBeUndefined();
    const stored = getPerformerProfile(studio.ctx.library(), performerId);
    expect(stored).toBeDefined();
    const profile = await call('performers.profile', { id: performerId });
    expect(profile.version).toBe(stored!.version);
    expect(profile.version).toBe(profileVersion(readProfile(stored!.profile)!));
    expect(profile.tone.gainsDb).toHaveLength(29);
    expect(profile.room.decaySeconds).toHaveLength(9);
    expect(profile.fit.distanceAfterDb).toBeLessThan(profile.fit.distanceBeforeDb);
    expect(profile.lowConfidence).toBe(false);
  });

  it('fits a demo performer lazily, on first use', async () => {
    const demo = (await call<Array<{ id: string; demo: boolean }>>('performers.list', {})).find((p) => p.demo)!;
    expect(getPerformerProfile(studio.ctx.library(), demo.id)).toBeUndefined();
    const profile = await call('performers.profile', { id: demo.id });
    expect(getPerformerProfile(studio.ctx.library(), demo.id)?.version).toBe(profile.version);
  });

  it('warns when the prompt MIDI is shifted against its recording, and still stores the profile', async () => {
    const { performance } = importMidi(readFileSync(testdata('midi-valle/prompt_A.midi')));
    const late = writeMidi(
      performance.notes.map((n) => ({ ...n, onset: n.onset + 0.15, offset: Math.min(3, n.offset + 0.15) })),
      performance.pedals.map((p) => ({ ...p, time: p.time + 0.15 })),
    );
    const added = await call('performers.add', {
      name: 'Shifted A',
      licence: 'CC0',
      consent: 'self',
      audio: prompt('A', 'wav'),
      midi: toFileData('late.mid', late),
    });
    expect(added.warning).toMatch(/ms late against its recording .*low-confidence/);
    const profile = await call('performers.profile', { id: added.id });
    expect(profile.lowConfidence).toBe(true);
    expect(profile.alignment.score).toBeLessThan(0.4);
  });

  it('renders through the profile; match off gives the plain grand; the profile version keys the cache', async () => {
    pieceId = (await call('pieces.import', { file: toFileData('bach.mid', bachExcerpt()) })).id;
    const matched = await render(pieceId, performerId);
    const again = await render(pieceId, performerId);
    const plain = await render(pieceId, performerId, false);
    expect(takeHashes(again)).toEqual(takeHashes(matched)); // same profile, same seed: the same takes
    expect(takeHashes(plain)).not.toEqual(takeHashes(matched));
    expect(matched.mix.audio).not.toBe(plain.mix.audio);
    expect(matched.mix.duration).toBeGreaterThan(plain.mix.duration); // the room rings on

    // A refitted profile (here: one band changed) has a new version, so nothing cached is reused.
    const lib = studio.ctx.library();
    const stored = getPerformerProfile(lib, performerId)!;
    const changed = readProfile(stored.profile)!;
    changed.tone.gainsDb[20] = changed.tone.gainsDb[20]! > 0 ? 0 : 6;
    putPerformerProfile(lib, performerId, {
      format: changed.format,
      version: profileVersion(changed),
      profile: changed,
      lowConfidence: false,
    });
    const refitted = await render(pieceId, performerId);
    for (const [i, hash] of takeHashes(refitted).entries()) expect(hash).not.toBe(takeHashes(matched)[i]);
  });

  it('exports hand stems of a matched render that sum to its mix', async () => {
    const detail = await render(pieceId, performerId);
    const mix = await call('exports.run', {
      renderId: detail.id,
      kind: 'mix',
      format: 'wav',
      bitDepth: 32,
      sampleRate: 48000,
    });
    const stems = await call('exports.run', {
      renderId: detail.id,
      kind: 'stems-hands',
      format: 'wav',
      bitDepth: 32,
      sampleRate: 48000,
    });
    const mixAudio = await decodeAudio(readFileSync(mix.files[0].path), 'mix.wav');
    // a stems export also writes its mix; the stems are the files with the stem role
    const parts = await Promise.all(
      stems.files
        .filter((f: { role: string }) => f.role === 'stem')
        .map((f: { path: string; name: string }) => decodeAudio(readFileSync(f.path), f.name)),
    );
    expect(parts.length).toBe(2);
    let worst = 0;
    let peak = 0;
    for (let c = 0; c < 2; c++) {
      const m = mixAudio.channels[c]!;
      for (let i = 0; i < m.length; i++) {
        const sum = parts.reduce((s, p) => s + p.channels[c]![i]!, 0);
        worst = Math.max(worst, Math.abs(sum - m[i]!));
        peak = Math.max(peak, Math.abs(m[i]!));
      }
    }
    expect(worst).toBeLessThan(1e-3 * peak);
  });

  it('prints the profile numbers with `performers show NAME --json`', () => {
    const run = runCli(['--home', studio.ctx.home, 'performers', 'show', 'Pianist A', '--json']);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout);
    expect(shown.name).toBe('Pianist A');
    expect(shown.profile.tone.gainsDb).toHaveLength(29);
    expect(shown.profile.touch.velocities).toEqual([16, 40, 64, 88, 112]);
    expect(typeof shown.profile.fit.distanceAfterDb).toBe('number');
    const missing = runCli(['--home', studio.ctx.home, 'performers', 'show', 'Nobody']);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
