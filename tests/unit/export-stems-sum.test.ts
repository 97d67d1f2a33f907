// Issue 15, done-when: a real performance rendered with each engine, exported as stems per hand and
// per track, normalised to −16 LUFS, in 24-bit WAV and FLAC. The written files are read back by a
// path that shares nothing with the writer (a plain RIFF parse for WAV; the project's FLAC decoder,
// libFLAC's own decoder family, for what libflacjs wrote) and must show: the stems add up to the mix
// within 24-bit quantisation (≤ −90 dBFS), no sample at full scale, and a mix at −16 ± 0.5 LUFS and
// ≤ −1 dBTP. ffmpeg's ebur128 cross-checks the loudness where ffmpeg is installed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseMidi, writeMidi as writeMidiFile } from 'midi-file';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudio, measureLoudness, truePeakDb, type AudioData } from '../../electron/audio';
import { importMidi, writeMidi } from '../../electron/midi';
import { toFileData } from '../../electron/services/file-data';
import { testdata } from '../support/shared-data';
import { testStudio } from '../support/studio';

const { studio, call, jobEnd } = testStudio('mv-export-sum-');
afterAll(() => studio.close());

const EXCERPT_SECONDS = 12;

/**
 * The first seconds of a real performance (ASAP, Beethoven op. 27/2 iii, Meek: sforzando chords, so
 * the normalised mix needs the true-peak limiter) as a two-track file: the upper voice (from E4 up)
 * and the rest. The importer takes hands from two tracks, so here hand and track stems coincide.
 */
function twoTrackExcerpt(): Uint8Array {
  const { performance } = importMidi(readFileSync(testdata('asap/Beethoven_Piano_Sonatas_14-3_Meek03.mid')));
  const notes = performance.notes.filter((n) => n.onset < EXCERPT_SECONDS);
  const pedals = performance.pedals.filter((p) => p.time < EXCERPT_SECONDS);
  const upper = parseMidi(
    writeMidi(
      notes.filter((n) => n.pitch >= 64),
      pedals,
      'upper voice',
    ),
  );
  const lower = parseMidi(
    writeMidi(
      notes.filter((n) => n.pitch < 64),
      [],
      'lower voices',
    ),
  );
  const file = writeMidiFile({
    header: { format: 1, numTracks: 2, ticksPerBeat: upper.header.ticksPerBeat! },
    tracks: [upper.tracks[0]!, lower.tracks[0]!],
  });
  return Uint8Array.from(file);
}

/** A WAV file read by hand: RIFF chunks, `fmt ` and `data`, 24-bit PCM or 32-bit float, interleaved. */
function readWavByHand(bytes: Uint8Array): { audio: AudioData; codes?: Int32Array[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  expect(tag(0)).toBe('RIFF');
  expect(tag(8)).toBe('WAVE');
  let at = 12;
  let channels = 0;
  let rate = 0;
  let bits = 0;
  let float = false;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      const formatTag = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      rate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID's first two bytes are the real format tag.
      const real = formatTag === 0xfffe ? view.getUint16(body + 24, true) : formatTag;
      float = real === 3;
    } else if (id === 'data') {
      const frameBytes = (channels * bits) / 8;
      const frames = Math.floor(Math.min(size, bytes.length - body) / frameBytes);
      const out = Array.from({ length: channels }, () => new Float32Array(frames));
      const codes = bits === 24 ? Array.from({ length: channels }, () => new Int32Array(frames)) : undefined;
      for (let i = 0; i < frames; i++) {
        for (let c = 0; c < channels; c++) {
          const p = body + i * frameBytes + (c * bits) / 8;
          if (float && bits === 32) out[c]![i] = view.getFloat32(p, true);
          else if (bits === 24) {
            const v = ((bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16)) << 8) >> 8;
            codes![c]![i] = v;
            out[c]![i] = v / 8388608;
          } else throw new Error(`unexpected WAV sample format: ${bits} bits${float ? ' float' : ''}`);
        }
      }
      return { audio: { sampleRate: rate, channels: out }, codes };
    }
    at = body + size + (size % 2);
  }
  throw new Error('no data chunk');
}

/** Largest |Σ stems − mix| over every sample and channel, in dBFS. */
function sumErrorDb(mix: AudioData, stems: AudioData[]): number {
  let worst = 0;
  mix.channels.forEach((m, c) => {
    for (let i = 0; i < m.length; i++) {
      let sum = 0;
      for (const s of stems) sum += s.channels[c]![i]!;
      worst = Math.max(worst, Math.abs(sum - m[i]!));
    }
  });
  return worst > 0 ? 20 * Math.log10(worst) : -Infinity;
}

function fullScaleSamples(audio: AudioData, codes?: Int32Array[]): number {
  let count = 0;
  if (codes) {
    for (const c of codes) for (const v of c) if (v >= 8388607 || v <= -8388608) count++;
    return count;
  }
  for (const c of audio.channels) for (const v of c) if (Math.abs(v) >= 1 - 1 / 8388608) count++;
  return count;
}

/** ffmpeg's own integrated loudness and true peak of a file, when ffmpeg is installed (not required). */
function ffmpegMeter(path: string): { loudness: number; truePeak: number } | undefined {
  const run = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-nostats', '-i', path, '-af', 'ebur128=peak=true', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  if (run.error) return undefined; // not installed
  const loudness = /Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+) LUFS/.exec(run.stderr);
  const truePeak = /True peak:\s*\n\s*Peak:\s*(-?[\d.]+) dBFS/.exec(run.stderr);
  if (run.status !== 0 || !loudness || !truePeak) throw new Error(`ffmpeg ebur128 could not measure ${path}`);
  return { loudness: Number(loudness[1]), truePeak: Number(truePeak[1]) };
}

describe('exported stems add up to the exported mix', () => {
  const renders: Record<'sampler' | 'neural', string> = { sampler: '', neural: '' };

  it('renders a real two-hand, two-track performance with the sampled grand and the tiny neural pack', async () => {
    const pieceId = (await call('pieces.import', { file: toFileData('beethoven-two-tracks.mid', twoTrackExcerpt()) }))
      .id;
    const performerId = (
      await call('performers.add', {
        name: 'Prompt A',
        licence: 'CC0',
        consent: 'self',
        audio: toFileData('prompt_A.wav', readFileSync(testdata('midi-valle/prompt_A.wav'))),
        midi: toFileData('prompt_A.midi', readFileSync(testdata('midi-valle/prompt_A.midi'))),
      })
    ).id;
    for (const engine of ['sampler', 'neural'] as const) {
      const { renderId, jobId } = await call('renders.start', { pieceId, performerId, engine, seed: 5, batch: 2 });
      expect((await jobEnd(jobId)).status).toBe('done');
      renders[engine] = renderId;
    }
  }, 240_000);

  for (const engine of ['sampler', 'neural'] as const)
    for (const kind of ['stems-hands', 'stems-tracks'] as const)
      for (const format of ['wav', 'flac'] as const)
        it(`${engine}: ${kind} in 24-bit ${format.toUpperCase()} at −16 LUFS`, async () => {
          const report = await call('exports.run', {
            renderId: renders[engine],
            kind,
            format,
            bitDepth: 24,
            sampleRate: 48000,
            normalize: -16,
          });
          const mixFile = report.files.find((f: { role: string }) => f.role === 'mix');
          const stemFiles = report.files.filter((f: { role: string }) => f.role === 'stem');
          expect(stemFiles.length).toBe(2);
          const read = async (path: string) => {
            const bytes = new Uint8Array(readFileSync(path));
            if (format === 'wav') return readWavByHand(bytes);
            expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('fLaC');
            return { audio: await decodeAudio(bytes, path), codes: undefined };
          };
          const mix = await read(mixFile.path);
          const stems = await Promise.all(stemFiles.map((f: { path: string }) => read(f.path)));
          expect(mix.audio.sampleRate).toBe(48000);
          for (const s of stems) expect(s.audio.channels[0]!.length).toBe(mix.audio.channels[0]!.length);

          expect(
            sumErrorDb(
              mix.audio,
              stems.map((s) => s.audio),
            ),
          ).toBeLessThanOrEqual(-90);
          // The sampled grand's mix needs limiting here: the stems must follow the limiter too.
          if (engine === 'sampler') expect(report.limited).toBe(true);
          for (const file of [mix, ...stems]) expect(fullScaleSamples(file.audio, file.codes)).toBe(0);

          const loudness = measureLoudness(mix.audio).integrated;
          expect(Math.abs(loudness + 16)).toBeLessThanOrEqual(0.5);
          expect(truePeakDb(mix.audio)).toBeLessThanOrEqual(-1);
          // The report states what the files measure.
          expect(Math.abs(mixFile.loudness - loudness)).toBeLessThan(0.05);
          expect(mixFile.truePeak).toBeLessThanOrEqual(-1);
          for (const f of stemFiles) expect(f.samplePeak).toBeLessThan(0);
          const ffmpeg = ffmpegMeter(mixFile.path);
          if (ffmpeg) {
            expect(Math.abs(ffmpeg.loudness + 16)).toBeLessThanOrEqual(0.5);
            expect(ffmpeg.truePeak).toBeLessThanOrEqual(-1);
          }
        }, 120_000);

  for (const engine of ['sampler', 'neural'] as const)
    it(`${engine}: stems per hand in 32-bit float WAV add up to the mix within −130 dBFS`, async () => {
      const report = await call('exports.run', {
        renderId: renders[engine],
        kind: 'stems-hands',
        format: 'wav',
        bitDepth: 32,
        sampleRate: 44100,
        normalize: -16,
      });
      const [mix, ...stems] = report.files.map(
        (f: { path: string }) => readWavByHand(new Uint8Array(readFileSync(f.path))).audio,
      );
      expect(stems.length).toBe(2);
      expect(sumErrorDb(mix!, stems)).toBeLessThanOrEqual(-130);
      for (const file of [mix!, ...stems]) expect(fullScaleSamples(file)).toBe(0);
      expect(Math.abs(measureLoudness(mix!).integrated + 16)).toBeLessThanOrEqual(0.5);
      expect(truePeakDb(mix!)).toBeLessThanOrEqual(-1);
    }, 120_000);
});
