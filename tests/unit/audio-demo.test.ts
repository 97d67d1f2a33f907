// The committed demo material (resources/demo) is complete, in the prompt format, and reproducible.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio } from '../../electron/audio/decode';
import { makeDemo } from '../../scripts/make-demo';
import { projectDir } from '../support/shared-data';
import { performanceFromMidiBytes } from '../support/midi-performance';

const demoDir = join(projectDir, 'resources', 'demo');
const manifest = JSON.parse(readFileSync(join(demoDir, 'performers.json'), 'utf8')) as {
  piece: { file: string };
  performers: Array<{
    id: string;
    demo: boolean;
    room: string;
    promptAudio: string;
    promptMidi: string;
    attribution: string;
  }>;
};

describe('demo material', () => {
  it('has a 20–40 s demo piece', () => {
    const piece = performanceFromMidiBytes(new Uint8Array(readFileSync(join(demoDir, manifest.piece.file))));
    expect(piece.duration).toBeGreaterThan(20);
    expect(piece.duration).toBeLessThan(40);
    expect(piece.pedals.some((p) => p.kind === 'sustain')).toBe(true);
  });

  it('has three labelled demo performers in distinct rooms with 3 s 32 kHz mono prompts', async () => {
    expect(manifest.performers).toHaveLength(3);
    expect(new Set(manifest.performers.map((p) => p.room))).toEqual(new Set(['dry', 'room', 'hall']));
    for (const p of manifest.performers) {
      expect(p.demo).toBe(true);
      expect(p.attribution).toMatch(/CC BY 3\.0/);
      const audio = await decodeAudio(new Uint8Array(readFileSync(join(demoDir, p.promptAudio))), p.promptAudio);
      expect(audio.sampleRate).toBe(32000);
      expect(audio.channels).toHaveLength(1);
      expect(audio.channels[0]!.length).toBe(96000);
      const midi = performanceFromMidiBytes(new Uint8Array(readFileSync(join(demoDir, p.promptMidi))));
      expect(midi.notes.length).toBeGreaterThan(3);
      expect(Math.max(...midi.notes.map((n) => n.offset))).toBeLessThanOrEqual(3.001);
    }
  });

  it('regenerates byte-identical files', { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-'));
    await makeDemo(out);
    for (const file of [
      manifest.piece.file,
      'performers.json',
      ...manifest.performers.flatMap((p) => [p.promptAudio, p.promptMidi]),
    ]) {
      expect(readFileSync(join(out, file)).equals(readFileSync(join(demoDir, file))), file).toBe(true);
    }
  });
});
