// The instant preview (pieces.preview) and validation errors in words, through the dispatcher as
// the views call them, on a real performance.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudio, renderWithSampler } from '../../electron/audio';
import { importMidi, writeMidi } from '../../electron/midi';
import { toFileData } from '../../electron/services/file-data';
import { testStudio } from '../support/studio';
import { testdata } from '../support/shared-data';

const { studio, call, failure, jobEnd } = testStudio('mv-preview-');
afterAll(() => studio.close());

/** The first 12 s of a real performance (ASAP, CC BY-NC-SA 4.0), pedals included. */
function excerpt(): { bytes: Uint8Array; performance: ReturnType<typeof importMidi>['performance'] } {
  const { performance } = importMidi(readFileSync(testdata('asap/Chopin_Etudes_op_10_3_SunMeiting08.mid')));
  const bytes = writeMidi(
    performance.notes.filter((n) => n.onset < 12),
    performance.pedals.filter((p) => p.time < 12),
  );
  return { bytes, performance: importMidi(bytes).performance };
}

describe('pieces.preview', () => {
  it('streams windows that join sample for sample into the whole dry render', async () => {
    const { bytes, performance } = excerpt();
    const piece = await call<{ id: string }>('pieces.import', { file: toFileData('excerpt.mid', bytes) });
    const windows = [];
    for (const [fromSec, durationSec] of [
      [3, 1.5],
      [4.5, 3],
      [7.5, 3],
    ] as const)
      windows.push(await call('pieces.preview', { pieceId: piece.id, fromSec, durationSec }));
    expect(windows.map((w) => [w.fromSec, w.durationSec, w.last])).toEqual([
      [3, 1.5, false],
      [4.5, 3, false],
      [7.5, 3, false],
    ]);
    const decoded = await Promise.all(
      windows.map((w) => decodeAudio(Buffer.from(w.wavBase64, 'base64'), 'preview.wav')),
    );
    expect(decoded.map((d) => d.channels[0]!.length)).toEqual([72000, 144000, 144000]);
    // The same span of the whole render, cut from it: the windows are that render, 16-bit.
    const whole = await renderWithSampler(performance, { sampleRate: 48000, channels: 2 });
    const joined = new Float32Array(360000);
    let at = 0;
    for (const d of decoded) {
      joined.set(d.channels[0]!, at);
      at += d.channels[0]!.length;
    }
    const reference = whole.channels[0]!.subarray(3 * 48000, 10.5 * 48000);
    let maxError = 0;
    let energy = 0;
    for (let i = 0; i < joined.length; i++) {
      maxError = Math.max(maxError, Math.abs(joined[i]! - reference[i]!));
      energy += reference[i]! ** 2;
    }
    expect(energy / joined.length).toBeGreaterThan(1e-5); // the excerpt is playing there
    expect(maxError).toBeLessThan(2 / 32768); // 16-bit rounding only
  });

  it('marks the window that reaches the end, and answers silence past it', async () => {
    const { bytes } = excerpt();
    const piece = await call<{ id: string }>('pieces.import', { file: toFileData('excerpt2.mid', bytes) });
    const tail = await call('pieces.preview', { pieceId: piece.id, fromSec: 10, durationSec: 20 });
    expect(tail.last).toBe(true);
    expect(tail.fromSec + tail.durationSec).toBeGreaterThan(12);
    const past = await call('pieces.preview', { pieceId: piece.id, fromSec: 500, durationSec: 2 });
    expect(past.last).toBe(true);
  });

  it("plays a render's own takes where it has them (here all: the window equals its mix)", async () => {
    const { bytes } = excerpt();
    const piece = await call<{ id: string }>('pieces.import', { file: toFileData('excerpt3.mid', bytes) });
    const performers = await call<Array<{ id: string; name: string; tags: { room?: string } }>>('performers.list', {});
    const performer = performers.find((p) => p.tags.room === 'dry') ?? performers[0]!;
    const { renderId, jobId } = await call('renders.start', {
      pieceId: piece.id,
      performerId: performer.id,
      engine: 'sampler',
    });
    expect((await jobEnd(jobId)).status).toBe('done');
    const detail = await call('renders.get', { id: renderId });
    const mix = await decodeAudio(readFileSync(studio.resolveBlob(detail.mix.audio)!), 'mix.wav');
    const window = await call('pieces.preview', { pieceId: piece.id, renderId, fromSec: 3, durationSec: 3 });
    expect(window.fromRender.length).toBeGreaterThan(0);
    const heard = (await decodeAudio(Buffer.from(window.wavBase64, 'base64'), 'w.wav')).channels[1]!;
    const reference = mix.channels[1]!.subarray(3 * mix.sampleRate, 6 * mix.sampleRate);
    expect(mix.sampleRate).toBe(48000);
    let maxError = 0;
    for (let i = 0; i < heard.length; i++) maxError = Math.max(maxError, Math.abs(heard[i]! - reference[i]!));
    expect(maxError).toBeLessThan(2 / 32768);
    // another piece (other content: identical bytes would open this very piece again)
    const otherBytes = writeMidi(excerpt().performance.notes.slice(0, 20));
    const other = await call<{ id: string }>('pieces.import', { file: toFileData('other.mid', otherBytes) });
    const wrong = await failure('pieces.preview', { pieceId: other.id, renderId, fromSec: 0, durationSec: 1 });
    expect(wrong.message).toContain('not of this piece');
  });

  it('names the field and its allowed range in words', async () => {
    const error = await failure('pieces.preview', { pieceId: 'x', fromSec: 0, durationSec: 100 });
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toContain('Length (s) must be a number above 0 and at most 20 (got 100)');
    const start = await failure('renders.start', {
      pieceId: 'p',
      performerId: 'q',
      engine: 'neural',
      seed: 1.5,
      sampling: { temperature: 0 },
    });
    expect(start.message).toContain('Seed must be a whole number from 0 to 4294967295 (got 1.5)');
    expect(start.message).toContain('Temperature must be a number above 0 and at most 5 (got 0)');
    expect((await failure('pieces.preview', { pieceId: 'nothing', fromSec: 0, durationSec: 1 })).code).toBe(
      'not-found',
    );
  });
});
