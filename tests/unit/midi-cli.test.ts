import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTokenNpy } from '../../electron/midi';
import { runCli } from '../support/cli';
import { testdata } from '../support/shared-data';

const dir = mkdtempSync(join(tmpdir(), 'mv-midi-cli-'));
const sampleB = testdata('midi-valle/sample_B.mid');
const promptA = testdata('midi-valle/prompt_A.midi');

interface InspectReport {
  notes: number;
  duration: number;
  pedals: { sustain: number; soft: number };
  warnings: string[];
  segmenter: string;
  segments: Array<{ index: number; start: number; end: number; notes: number }>;
}

describe('midi-valle inspect', () => {
  it('reports notes, duration, pedals, warnings and segments as JSON', () => {
    const run = runCli(['--json', 'inspect', sampleB]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as InspectReport;
    expect(report.notes).toBe(1842);
    expect(report.duration).toBeCloseTo(379.99, 2);
    expect(report.pedals.sustain).toBe(646);
    expect(report.warnings).toEqual(['1 note longer than 6 s shortened to 6 s']);
    expect(report.segmenter).toBe('musical');
    expect(report.segments.reduce((n, s) => n + s.notes, 0)).toBe(1842);
  });

  it('uses the official boundaries with --segmenter official, and reads a .MIDI name in any case', () => {
    const upper = join(dir, 'SAMPLE.MIDI');
    copyFileSync(sampleB, upper);
    const report = JSON.parse(runCli(['--json', 'inspect', upper, '--segmenter', 'official']).stdout) as InspectReport;
    expect(report.segments.slice(0, 3).map((s) => s.start)).toEqual([0, 16.873, 36.626]);
    expect(report.segments.reduce((n, s) => n + s.notes, 0)).toBe(1842); // the official tail is kept
  });

  it('prints a human summary', () => {
    const run = runCli(['inspect', sampleB]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1842 notes, 379\.99 s/);
    expect(run.stdout).toMatch(/segments \(musical\)/);
  });
});

describe('midi-valle tokenize', () => {
  it('prints the token matrix as JSON', () => {
    const run = runCli(['--json', 'tokenize', promptA]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { rows: number; columns: string[]; tokens: number[][] };
    expect(result.rows).toBe(55);
    expect(result.columns).toEqual(['pitch', 'velocity', 'duration', 'ioi', 'position', 'bar']);
    expect(result.tokens[1]).toEqual([36, 20, 14, 388, 86, 4]);
  });

  it('tokenizes one segment after a prompt, and folds the pedal when asked', () => {
    const plain = join(dir, 'seg3.npy');
    const folded = join(dir, 'seg3-fold.npy');
    expect(runCli(['tokenize', sampleB, '--prompt', promptA, '--segment', '4', '--out', plain]).code).toBe(0);
    expect(
      runCli(['tokenize', sampleB, '--prompt', promptA, '--segment', '4', '--pedal', 'fold', '--out', folded]).code,
    ).toBe(0);
    const [a, b] = [decodeTokenNpy(readFileSync(plain)), decodeTokenNpy(readFileSync(folded))];
    expect(a.rows).toBe(b.rows);
    const segmentNotes = (JSON.parse(runCli(['--json', 'inspect', sampleB]).stdout) as InspectReport).segments[3]!
      .notes;
    expect(a.rows).toBe(2 + 53 + segmentNotes);
    let longer = 0;
    for (let r = 1; r < a.rows - 1; r++) {
      expect(b.data[r * 6 + 2]!).toBeGreaterThanOrEqual(a.data[r * 6 + 2]!); // durations only grow
      if (b.data[r * 6 + 2]! > a.data[r * 6 + 2]!) longer++;
      expect(b.data[r * 6 + 4]).toBe(a.data[r * 6 + 4]); // onsets unchanged
    }
    expect(longer).toBeGreaterThan(10);
  });

  it('bad input: one error line, exit 3, no output file', () => {
    const notMidi = join(dir, 'notes.mid');
    writeFileSync(notMidi, 'hello');
    const out = join(dir, 'never.npy');
    const run = runCli(['tokenize', notMidi, '--out', out]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: notes\.mid: not a MIDI file/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    expect(runCli(['inspect', join(dir, 'missing.mid')]).code).toBe(3);
  });

  it('a sequence past the bar limit is refused with exit 3; a missing segment or bad mode is a usage error', () => {
    const run = runCli(['tokenize', sampleB, '--prompt', promptA]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: prompt plus target: .*32 s/);
    expect(runCli(['tokenize', sampleB, '--segment', '99']).code).toBe(2);
    expect(runCli(['tokenize', sampleB, '--segmenter', 'random']).code).toBe(2);
  });
});
