// Beat grids and performance curves (tempo, dynamics, hand asynchrony) from an alignment.
// Data: ASAP (Foscarin et al., ISMIR 2020, CC BY-NC-SA 4.0) in ../shared/testdata/asap.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importMidi } from '../../electron/midi';
import {
  alignNotes,
  CURVE_COLUMNS,
  curvesCsv,
  midiBeats,
  parseBeatList,
  performanceCurves,
} from '../../electron/midi/align';
import type { PerformedNote } from '../../electron/shared/performance';
import { testdata } from '../support/shared-data';

const bytesOf = (name: string) => readFileSync(testdata(`asap/${name}.mid`));
const notesOf = (name: string): PerformedNote[] => importMidi(bytesOf(name), name).performance.notes;
const annotations = (name: string) =>
  parseBeatList(readFileSync(testdata(`asap/${name}_annotations.txt`), 'utf8'), `${name}_annotations.txt`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const BACH = 'Bach_Fugue_bwv_848';
const CHOPIN = 'Chopin_Etudes_op_10_3';

describe('beat grids', () => {
  it.each([BACH, CHOPIN])('%s: the score MIDI’s own beats include every annotated beat, with the same bars', (work) => {
    const score = `${work}_midi_score`;
    const notes = notesOf(score);
    const grid = midiBeats(bytesOf(score), score, notes.at(-1)!.onset);
    const annotated = annotations(score);
    annotated.times.forEach((t, k) => {
      const i = grid.times.findIndex((g) => Math.abs(g - t) < 0.001);
      expect(i, `annotated beat ${k + 1} at ${t} s`).toBeGreaterThanOrEqual(0);
      expect(grid.bars[i]).toBe(annotated.bars[k]);
    });
  });

  it('reads a beat list: downbeats start bars, bad lines are one clear error', () => {
    const grid = parseBeatList('1.0\t1.0\tb\n1.5\t1.5\tdb,4/4\n2.0\t2.0\tb\n3.5\t3.5\tdb\n', 'beats.txt');
    expect(grid).toEqual({ times: [1, 1.5, 2, 3.5], bars: [1, 2, 2, 3], beatInBar: [1, 1, 2, 1] });
    expect(() => parseBeatList('0.5\nabc\n', 'b.txt')).toThrow('b.txt: line 2 does not start with a time in seconds');
    expect(() => parseBeatList('0.5\n0.4\n', 'b.txt')).toThrow('beat times must increase');
  });
});

describe('performance curves', () => {
  const score = `${BACH}_midi_score`;
  const perf = `${BACH}_Lee01M`;

  it('tempo per beat follows the pianist’s annotated beats', () => {
    const scoreNotes = notesOf(score);
    const perfNotes = notesOf(perf);
    const rows = performanceCurves(alignNotes(scoreNotes, perfNotes), scoreNotes, perfNotes, annotations(score));
    const truth = annotations(perf).times;
    const errors = rows.slice(0, -1).map((row, k) => Math.abs(row.bpm! / (60 / (truth[k + 1]! - truth[k]!)) - 1));
    expect(median(errors)).toBeLessThan(0.02);
    expect(rows.at(-1)!.bpm).toBeNull();
    expect(rows[0]!.refBpm).toBeCloseTo(120, 6); // the score's 120 BPM
  });

  it('dynamics follow the velocities and asynchrony follows a delayed left hand', () => {
    const scoreNotes = notesOf(score);
    const perfNotes = notesOf(perf);
    const beats = annotations(score);
    const base = performanceCurves(alignNotes(scoreNotes, perfNotes), scoreNotes, perfNotes, beats);
    // the same pianist, softer by half, with the left hand 40 ms late
    const changed = perfNotes.map((n) => ({
      ...n,
      velocity: Math.max(1, Math.round(n.velocity / 2)),
      onset: n.hand === 'left' ? n.onset + 0.04 : n.onset,
    }));
    changed.sort((a, b) => a.onset - b.onset || a.pitch - b.pitch);
    const after = performanceCurves(alignNotes(scoreNotes, changed), scoreNotes, changed, beats);
    const ratios = base.flatMap((row, k) =>
      row.velocity !== null && after[k]!.velocity !== null ? [after[k]!.velocity! / row.velocity] : [],
    );
    expect(ratios.length).toBeGreaterThan(150);
    expect(median(ratios)).toBeGreaterThan(0.45);
    expect(median(ratios)).toBeLessThan(0.55);
    const shifts = base.flatMap((row, k) =>
      row.asynchronyMs !== null && after[k]!.asynchronyMs !== null ? [after[k]!.asynchronyMs! - row.asynchronyMs] : [],
    );
    expect(shifts.length).toBeGreaterThan(100);
    expect(median(shifts)).toBeGreaterThan(-45);
    expect(median(shifts)).toBeLessThan(-35);
  });

  it('writes CSV with a header and empty fields where a value does not exist', () => {
    const scoreNotes = notesOf(score);
    const perfNotes = notesOf(perf);
    const rows = performanceCurves(alignNotes(scoreNotes, perfNotes), scoreNotes, perfNotes, annotations(score));
    const lines = curvesCsv(rows).trimEnd().split('\n');
    expect(lines[0]).toBe(CURVE_COLUMNS.join(','));
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[1]!.split(',')).toHaveLength(CURVE_COLUMNS.length);
    expect(lines.at(-1)!.split(',')[CURVE_COLUMNS.indexOf('bpm')]).toBe('');
  });
});
