// Exports never write a sample at full scale unless asked to (32-bit float, onClip "keep"): a render
// that would clip is attenuated by a stated amount, or refused naming its peak. Also: MP3 bit rates,
// progress events with a percentage, and cancelling an export (which leaves no file behind).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudio, samplePeak, truePeakDb, type AudioData } from '../../electron/audio';
import { writeMidi } from '../../electron/midi';
import { toFileData } from '../../electron/services/file-data';
import { testdata } from '../support/shared-data';
import { runCli } from '../support/cli';
import { testStudio } from '../support/studio';

const { studio, call, failure, jobEnd } = testStudio('mv-export-clip-');
afterAll(() => studio.close());

/** Fortissimo chords across the keyboard under the sustain pedal: the sampled grand's sum goes over 0 dBFS. */
function hammeredChords(): Uint8Array {
  const chord = [33, 40, 45, 52, 57, 64, 69, 76, 81, 88];
  const notes = [];
  for (let beat = 0; beat < 8; beat++)
    for (const pitch of chord)
      notes.push({ pitch: pitch + (beat % 2) * 2, velocity: 127, onset: beat * 0.4, offset: beat * 0.4 + 0.35 });
  return writeMidi(notes, [
    { time: 0, kind: 'sustain', value: 127 },
    { time: 3.5, kind: 'sustain', value: 0 },
  ] as never);
}

const outDir = () => mkdtempSync(join(tmpdir(), 'mv-export-out-'));
const read = async (path: string): Promise<AudioData> => decodeAudio(new Uint8Array(readFileSync(path)), path);

describe('exports that would clip', () => {
  let renderId = '';

  it('renders a performance whose mix goes over full scale', async () => {
    const pieceId = (await call('pieces.import', { file: toFileData('chords.mid', hammeredChords()) })).id;
    const performerId = (
      await call('performers.add', {
        name: 'Prompt A',
        licence: 'CC0',
        consent: 'self',
        audio: toFileData('prompt_A.wav', readFileSync(testdata('midi-valle/prompt_A.wav'))),
        midi: toFileData('prompt_A.midi', readFileSync(testdata('midi-valle/prompt_A.midi'))),
      })
    ).id;
    const started = await call('renders.start', { pieceId, performerId, engine: 'sampler' });
    expect((await jobEnd(started.jobId)).status).toBe('done');
    renderId = started.renderId;
    // Kept as float with overs, as asked: the proof that this render would clip anywhere else.
    const kept = await call('exports.run', {
      renderId,
      kind: 'mix',
      format: 'wav',
      bitDepth: 32,
      sampleRate: 48000,
      onClip: 'keep',
      destination: outDir(),
    });
    expect(kept.attenuationDb).toBe(0);
    expect(samplePeak(await read(kept.files[0].path))).toBeGreaterThan(1);
    expect(kept.notes.join(' ')).toMatch(/overs kept/);
  }, 120_000);

  it('attenuates every file by one stated amount, so stems still add up to the mix', async () => {
    const report = await call('exports.run', {
      renderId,
      kind: 'stems-hands',
      format: 'flac',
      bitDepth: 24,
      sampleRate: 44100,
      destination: outDir(),
    });
    expect(report.attenuationDb).toBeLessThan(0);
    expect(report.notes.join(' ')).toMatch(
      new RegExp(
        `would clip \\(sample peak \\+[\\d.]+ dBFS.*lowered by ${Math.abs(report.attenuationDb).toFixed(2)} dB`,
      ),
    );
    const [mix, ...stems]: AudioData[] = await Promise.all(report.files.map((f: { path: string }) => read(f.path)));
    expect(report.files[0].role).toBe('mix');
    expect(stems.length).toBe(2);
    for (const audio of [mix!, ...stems]) expect(samplePeak(audio)).toBeLessThan(1 - 1 / 8388608);
    expect(truePeakDb(mix!)).toBeLessThanOrEqual(-0.99);
    let worst = 0;
    mix!.channels.forEach((m, c) => {
      for (let i = 0; i < m.length; i++)
        worst = Math.max(worst, Math.abs(stems[0]!.channels[c]![i]! + stems[1]!.channels[c]![i]! - m[i]!));
    });
    expect(20 * Math.log10(worst)).toBeLessThanOrEqual(-90);
  }, 60_000);

  it('refuses with onClip "error", naming the peak, and writes nothing', async () => {
    const destination = outDir();
    const error = await failure('exports.run', {
      renderId,
      kind: 'mix',
      format: 'wav',
      bitDepth: 16,
      sampleRate: 48000,
      onClip: 'error',
      destination,
    });
    expect(error.code).toBe('bad-input');
    expect(error.message).toMatch(/^the mix would clip \(sample peak \+[\d.]+ dBFS, true peak \+[\d.]+ dBTP\)/);
    expect(readdirSync(destination)).toEqual([]);
  });

  it('keeps overs only in 32-bit float', async () => {
    const error = await failure('exports.run', {
      renderId,
      kind: 'mix',
      format: 'wav',
      bitDepth: 24,
      sampleRate: 48000,
      onClip: 'keep',
    });
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(/32-bit float/);
  });

  it('writes MP3 at the chosen constant bit rate, under full scale after decoding', async () => {
    const sizes: number[] = [];
    for (const mp3Kbps of [128, 320]) {
      const report = await call('exports.run', {
        renderId,
        kind: 'mix',
        format: 'mp3',
        sampleRate: 44100,
        mp3Kbps,
        normalize: -14,
        destination: outDir(),
      });
      const decoded = await read(report.files[0].path);
      expect(samplePeak(decoded)).toBeLessThan(1 - 1 / 32768);
      expect(report.files[0].truePeak).toBeLessThanOrEqual(0);
      sizes.push(report.files[0].bytes);
    }
    expect(sizes[1]! / sizes[0]!).toBeGreaterThan(2.2);
    expect(sizes[1]! / sizes[0]!).toBeLessThan(2.8);
    expect(
      (await failure('exports.run', { renderId, kind: 'mix', format: 'mp3', sampleRate: 44100, mp3Kbps: 100 })).code,
    ).toBe('invalid-argument');
  }, 60_000);
});

describe('export progress and cancel', () => {
  it('reports a rising percentage that ends at 100', async () => {
    const renderId = (await call('renders.list', {}))[0].id;
    const percents: number[] = [];
    const stages = new Set<string>();
    const off = studio.events.subscribe((e) => {
      if (e.type === 'export.progress' && e.jobId === 'progress-1') {
        percents.push(e.percent);
        stages.add(e.stage);
      }
    });
    await call('exports.run', {
      renderId,
      kind: 'stems-hands',
      format: 'wav',
      bitDepth: 24,
      sampleRate: 48000,
      normalize: -16,
      jobId: 'progress-1',
      destination: outDir(),
    });
    off();
    expect(percents.length).toBeGreaterThan(3);
    expect(percents.at(-1)).toBe(100);
    for (let i = 1; i < percents.length; i++) expect(percents[i]!).toBeGreaterThanOrEqual(percents[i - 1]!);
    expect([...stages]).toEqual(expect.arrayContaining(['rendering stems', 'encoding 1 of 3', 'done']));
  }, 60_000);

  it('cancels a running export and leaves no file, temporary or final', async () => {
    const renderId = (await call('renders.list', {}))[0].id;
    const destination = outDir();
    const off = studio.events.subscribe((e) => {
      if (e.type === 'export.progress' && e.jobId === 'cancel-1' && e.percent > 0)
        void call('exports.cancel', { jobId: 'cancel-1' }).then((r) => expect(r.cancelled).toBe(true));
    });
    const error = await failure('exports.run', {
      renderId,
      kind: 'stems-hands',
      format: 'flac',
      bitDepth: 24,
      sampleRate: 48000,
      jobId: 'cancel-1',
      destination,
    });
    off();
    expect(error.code).toBe('cancelled');
    expect(readdirSync(destination)).toEqual([]);
    expect((await call('exports.cancel', { jobId: 'cancel-1' })).cancelled).toBe(false);
  }, 60_000);
});

describe('midi-valle export', () => {
  const cli = (args: string[]) => runCli(['--home', studio.ctx.home, ...args]);
  const renderId = async (): Promise<string> => (await call('renders.list', {}))[0].id;

  it('exports normalised stems with their mix and reports what each file measures (--json)', async () => {
    const out = outDir();
    const run = cli([
      '--json',
      'export',
      await renderId(),
      '--kind',
      'stems-hands',
      '--format',
      'flac',
      '--bit-depth',
      '24',
      '--normalize',
      '--out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.files.map((f: { role: string }) => f.role)).toEqual(['mix', 'stem', 'stem']);
    expect(Math.abs(report.files[0].loudness + 16)).toBeLessThanOrEqual(0.5);
    expect(report.files[0].truePeak).toBeLessThanOrEqual(-1);
    expect(report.notes.join(' ')).toMatch(/normalised to -16 LUFS/);
    expect(readdirSync(out).length).toBe(3);
  }, 120_000);

  it('states the attenuation in human output, refuses with --on-clip error, and checks its flags', async () => {
    const id = await renderId();
    const human = cli(['export', id, '--out', outDir()]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^wrote .*\(mix\)\.wav \(mix, [\d.]+ s, -?[\d.]+ LUFS, true peak -1\.0 dBTP\)$/m);
    expect(human.stdout).toMatch(/^note: the mix would clip \(sample peak \+[\d.]+ dBFS.*lowered by [\d.]+ dB/m);

    const out = outDir();
    const refused = cli(['export', id, '--on-clip', 'error', '--out', out]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^error: the mix would clip \(sample peak \+[\d.]+ dBFS, true peak \+[\d.]+ dBTP\)/);
    expect(refused.stderr.trim().split('\n').length).toBe(1);
    expect(readdirSync(out)).toEqual([]);

    expect(cli(['export', id, '--on-clip', 'keep', '--out', out]).code).toBe(2);
    expect(cli(['export', id, '--on-clip', 'sometimes', '--out', out]).code).toBe(2);
    expect(cli(['export', id, '--format', 'mp3', '--mp3-bitrate', '100', '--out', out]).code).toBe(2);
    expect(cli(['export', id, '--true-peak', '3', '--out', out]).code).toBe(2);
  }, 120_000);
  it('render --out never writes a clipping mix either: it is lowered and says so', async () => {
    const pieceId = (await call('pieces.list', {}))[0].id;
    const file = join(outDir(), 'chords.wav');
    const run = cli(['render', '--piece', pieceId, '--performer', 'Prompt A', '--out', file, '--bit-depth', '24']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^note: the mix would clip \(sample peak \+[\d.]+ dBFS.*lowered by [\d.]+ dB/m);
    expect(samplePeak(await read(file))).toBeLessThan(1 - 1 / 8388608);
  }, 120_000);
});
