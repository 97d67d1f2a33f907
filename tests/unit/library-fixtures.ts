// Real test data for the library suites: a library seeded from ../shared/testdata (real MIDI,
// real prompt recordings) and a simple deterministic segment renderer (a sine per segment,
// encoded as 16-bit PCM WAV). It is test data standing in for the sampler/neural engines, which
// the services inject; nothing of the library itself is replaced.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addPerformer,
  addPiece,
  createProject,
  createRender,
  type Library,
  type PerformerRecord,
  type PieceRecord,
  type ProjectRecord,
  type RenderRecord,
} from '../../electron/library';
import type { RenderedSegment, SegmentEngine, SegmentWork } from '../../electron/services/render/engine-binding';
import { runJob, type RunJobOptions } from '../../electron/services/render/job-run';
import { testdata } from '../support/shared-data';

export const tempHome = (tag = 'lib'): string => mkdtempSync(join(tmpdir(), `mv-${tag}-`));

/** 16-bit mono PCM WAV of a sine. */
export function sineWav(frequency: number, seconds: number, sampleRate = 8000): Uint8Array {
  const frames = Math.round(seconds * sampleRate);
  const out = Buffer.alloc(44 + frames * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + frames * 2, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(frames * 2, 40);
  for (let i = 0; i < frames; i++)
    out.writeInt16LE(Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * frequency * i) / sampleRate)), 44 + i * 2);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** The pitch a segment is rendered at: depends on its index and the seed, so takes differ by seed. */
export const segmentFrequency = (index: number, seed: number): number => 220 * 2 ** (((index + seed) % 24) / 12);

export type SegmentRenderer = (work: SegmentWork) => Promise<RenderedSegment>;

/** A seeded test engine around a renderer, with a fixed voice (what the real engines derive from the performer). */
export const testEngine = (renderer: SegmentRenderer, voice: string | null = null): SegmentEngine => ({
  seeded: true,
  open: async () => ({ voice, render: (work) => renderer(work) }),
});

/** Runs a job through the studio's own job runner with a test engine. */
export const runRenderJob = (
  lib: Library,
  jobId: string,
  renderer: SegmentRenderer,
  options: RunJobOptions & { voice?: string | null } = {},
) => runJob(lib, jobId, testEngine(renderer, options.voice ?? null), options);

/** A deterministic renderer: `seconds` of sine per segment (short, to keep suites fast). */
export function sineRenderer(options: { seconds?: number; delayMs?: number; calls?: number[] } = {}): SegmentRenderer {
  const seconds = options.seconds ?? 0.05;
  return async ({ segment, seed: maybeSeed }) => {
    const seed = maybeSeed ?? 0;
    options.calls?.push(segment.index);
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    return {
      audio: sineWav(segmentFrequency(segment.index, seed), seconds),
      audioFormat: 'wav',
      sampleRate: 8000,
      channels: 1,
      duration: seconds,
      codes: new Uint8Array([segment.index & 255, seed & 255]),
    };
  };
}

/** Segment boundaries of the real segmentation fixture (seconds). */
export function fixtureSegments(
  count: number,
  midiHash: string,
): Array<{ index: number; start: number; end: number; tokensHash: string }> {
  const rows = readFileSync(testdata('midi-valle/segment_boundaries_seed42.csv'), 'utf8').trim().split('\n').slice(1);
  return rows.slice(0, count).map((line) => {
    const [index, start, length] = line.split(',').map(Number) as [number, number, number];
    const tokensHash = createHash('sha256').update(`${midiHash}:${index}:${start}`).digest('hex');
    return { index, start, end: start + length, tokensHash };
  });
}

export interface Seeded {
  project: ProjectRecord;
  piece: PieceRecord;
  performer: PerformerRecord;
  render: RenderRecord;
}

export function addPromptPerformer(lib: Library, name: string, which: 'A' | 'B' = 'A'): PerformerRecord {
  const wav = readFileSync(testdata(`midi-valle/prompt_${which}.wav`));
  return addPerformer(lib, {
    name,
    promptAudio: {
      bytes: wav,
      format: 'wav',
      sampleRate: wav.readUInt32LE(24),
      channels: wav.readUInt16LE(22),
      duration: 3,
    },
    promptMidi: readFileSync(testdata(`midi-valle/prompt_${which}.midi`)),
    promptTokens: readFileSync(testdata(`midi-valle/prompt_${which}.npy`)),
    tags: { piano: 'Steinway D', room: 'hall', source: 'MAESTRO' },
    licence: 'CC BY-NC-SA 4.0',
    consent: { kind: 'public-domain' },
    notes: 'test prompt',
  });
}

/** A project with one real piece, a performer from the real prompt, and a render of `segments` segments. */
export function seedLibrary(
  lib: Library,
  segments = 4,
  options: { seed?: number; performerName?: string } = {},
): Seeded {
  const project = createProject(lib, 'Fugues');
  const piece = addPiece(lib, project.id, {
    title: 'Sample A',
    composer: 'J. S. Bach',
    playedBy: 'ASAP performer',
    midi: readFileSync(testdata('midi-valle/sample_A.mid')),
    midiName: 'sample_A.mid',
    stats: { notes: 1234 },
  });
  const performer = addPromptPerformer(lib, options.performerName ?? 'Prompt A');
  const render = createRender(lib, {
    pieceId: piece.id,
    performerId: performer.id,
    engine: 'neural',
    pack: { id: 'midi-valle-base', version: '1.0.0' },
    params: { temperature: 0.9, topK: 50 },
    seed: options.seed ?? 42,
    device: 'cpu',
    segments: fixtureSegments(segments, piece.midiHash),
  });
  return { project, piece, performer, render };
}
