// The studio's services end to end, called exactly as the UI calls them (dispatch with runtime
// validation), on real performances: import → performer → render → regenerate → choose → export.
import { readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudio, encodeAudio, measureLoudness } from '../../electron/audio';
import { importMidi, writeMidi } from '../../electron/midi';
import { toFileData } from '../../electron/services/file-data';
import { testStudio } from '../support/studio';
import { testdata } from '../support/shared-data';

const { studio, call, failure, jobEnd } = testStudio('mv-services-');
afterAll(() => studio.close());

/** The first 35 s of a real performance (ASAP, CC BY-NC-SA 4.0): two segments, both hands. */
function chopinExcerpt(): Uint8Array {
  const { performance } = importMidi(readFileSync(testdata('asap/Chopin_Etudes_op_10_3_SunMeiting08.mid')));
  const notes = performance.notes.filter((n) => n.onset < 35);
  return writeMidi(
    notes,
    performance.pedals.filter((p) => p.time < 35),
  );
}

const promptAudio = () => toFileData('prompt_A.wav', readFileSync(testdata('midi-valle/prompt_A.wav')));
const promptMidi = () => toFileData('prompt_A.midi', readFileSync(testdata('midi-valle/prompt_A.midi')));

describe('performers: prompt intake', () => {
  it('adds a performer from a real 3-s recording and its MIDI', async () => {
    const p = await call('performers.add', {
      name: 'Prompt A',
      audio: promptAudio(),
      midi: promptMidi(),
      tags: { room: 'hall' },
      licence: 'CC0',
      consent: 'self',
    });
    expect(p.promptDuration).toBe(3);
    expect(p.promptAudio).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(studio.resolveBlob(p.promptAudio)!).size).toBeGreaterThan(3 * 32000 * 4);
  });

  it('refuses unusable recordings with one clear line and stores nothing', async () => {
    const before = (await call<unknown[]>('performers.list', {})).length;
    const audio = await decodeAudio(readFileSync(testdata('midi-valle/prompt_A.wav')), 'prompt_A.wav');
    const wav = async (channels: Float32Array[], rate = audio.sampleRate) =>
      toFileData(
        'x.wav',
        await encodeAudio({ sampleRate: rate, channels }, { format: 'wav', bitDepth: 32, sampleRate: 32000 }),
      );
    const short = await wav([audio.channels[0]!.slice(0, audio.sampleRate / 2)]);
    const silent = await wav([new Float32Array(audio.sampleRate * 4)]);
    const long = await wav([new Float32Array(32000 * 40).map((_, i) => 0.2 * Math.sin(i / 10))], 32000);
    const chopin = toFileData('chopin.mid', readFileSync(testdata('asap/Chopin_Etudes_op_10_3_SunMeiting08.mid')));
    const cases = [
      { audio: short, midi: promptMidi(), pattern: /needs at least 3 s/ },
      { audio: silent, midi: promptMidi(), pattern: /silent/ },
      { audio: long, midi: promptMidi(), pattern: /--start/ },
      { audio: promptAudio(), midi: chopin, pattern: /not the same performance/ },
    ];
    for (const c of cases) {
      const error = await failure('performers.add', {
        name: 'Bad',
        audio: c.audio,
        midi: c.midi,
        licence: 'CC0',
        consent: 'self',
      });
      expect(error.code).toBe('bad-input');
      expect(error.message).toMatch(c.pattern);
      expect(error.message).not.toMatch(/\n/);
    }
    expect((await call<unknown[]>('performers.list', {})).length).toBe(before);
  });
});

describe('a render with the sampled grand', () => {
  let renderId = '';
  let pieceId = '';

  it('imports a piece and renders every segment, then the mix', async () => {
    const piece = await call('pieces.import', { file: toFileData('chopin-excerpt.mid', chopinExcerpt()) });
    pieceId = piece.id;
    const detail = await call('pieces.get', { id: pieceId });
    expect(detail.notes.pitch.length).toBe(piece.noteCount);
    expect(detail.segments.length).toBeGreaterThanOrEqual(2);
    const performer = (await call<Array<{ id: string }>>('performers.list', {}))[0]!;
    const progress: number[] = [];
    const off = studio.events.subscribe((e) => e.type === 'job.progress' && progress.push(e.done));
    const started = await call('renders.start', { pieceId, performerId: performer.id, engine: 'sampler', seed: 7 });
    renderId = started.renderId;
    expect((await jobEnd(started.jobId)).status).toBe('done');
    off();
    expect(progress.length).toBeGreaterThan(0);
    const render = await call('renders.get', { id: renderId });
    expect(render.status).toBe('done');
    expect(render.segments.every((s: { takes: unknown[] }) => s.takes.length === 1)).toBe(true);
    expect(render.mix.duration).toBeGreaterThan(piece.duration);
    expect(render.mix.duration).toBeLessThan(piece.duration + 6);
    expect(render.mix.peaks.max.length).toBeGreaterThan(100);
  });

  it('regenerating a segment of the deterministic sampled grand offers no identical second take', async () => {
    const before = await call('renders.get', { id: renderId });
    const { jobId } = await call('segments.regenerate', { renderId, segmentIndices: [1], seed: 99 });
    expect((await jobEnd(jobId)).status).toBe('done');
    const render = await call('renders.get', { id: renderId });
    // the sampler's audio depends on notes and room only: the take it has is the take a new seed gives
    expect(render.segments[1].takes).toEqual(before.segments[1].takes);
    expect(render.segments[1].takes[0].segmentSeed).toBeNull();
    expect(render.mix.audio).toBe(before.mix.audio);
  });

  it('exports a normalised mix and hand stems aligned sample for sample', async () => {
    const mix = await call('exports.run', {
      renderId,
      kind: 'mix',
      format: 'wav',
      bitDepth: 24,
      sampleRate: 48000,
      normalize: -16,
    });
    const mixAudio = await decodeAudio(readFileSync(mix.files[0].path), 'mix.wav');
    expect(measureLoudness(mixAudio).integrated).toBeGreaterThan(-16.5);
    expect(measureLoudness(mixAudio).integrated).toBeLessThan(-15.5);
    const stems = await call('exports.run', { renderId, kind: 'stems-hands', format: 'wav', sampleRate: 48000 });
    expect(stems.files.map((f: { name: string }) => f.name).join()).toMatch(/mix.*left hand.*right hand/);
    for (const f of stems.files) {
      const audio = await decodeAudio(readFileSync(f.path), f.name);
      expect(audio.channels[0]!.length).toBe(mixAudio.channels[0]!.length);
    }
  });

  it('answers a bad id with not-found', async () => {
    expect((await failure('renders.get', { id: 'nope' })).code).toBe('not-found');
    expect((await failure('segments.regenerate', { renderId, segmentIndices: [99] })).code).toBe('invalid-argument');
  });
});
