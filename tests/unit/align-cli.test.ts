// `midi-valle align` end to end through the real CLI (and so through the works.align contract method).
// Data: ASAP (Foscarin et al., ISMIR 2020, CC BY-NC-SA 4.0) in ../shared/testdata/asap.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { testdata } from '../support/shared-data';

const home = mkdtempSync(join(tmpdir(), 'midi-valle-align-cli-'));
const asap = (name: string) => testdata(`asap/${name}`);
const beats = (name: string): number[] =>
  readFileSync(asap(`${name}_annotations.txt`), 'utf8')
    .trim()
    .split('\n')
    .map((line) => Number(line.split('\t')[0]));

interface AlignOutput {
  map: Array<[number, number]>;
  stats: { matchedNotes: number; refMatchedRatio: number; perfMatchedRatio: number; samePiece: boolean };
}

/** Reference time → performance time through the printed map (linear between points). */
function perfTimeOf(map: Array<[number, number]>, ref: number): number {
  const k = map.findIndex(([, r]) => r >= ref);
  if (k <= 0) return map[Math.max(0, k)]![0];
  const [p0, r0] = map[k - 1]!;
  const [p1, r1] = map[k]!;
  return r1 === r0 ? p0 : p0 + ((ref - r0) / (r1 - r0)) * (p1 - p0);
}

/** `midi-valle --home HOME align PERF --to REF ...rest`, both from the ASAP test data. */
const align = (perf: string, ref: string, ...rest: string[]) =>
  runCli(['--home', home, 'align', asap(perf), '--to', asap(ref), ...rest]);

describe('midi-valle align', () => {
  it('prints a monotone map, sampled at least every 0.5 s, that puts the score beats on the performance beats', () => {
    const run = runCli([
      '--json',
      '--home',
      home,
      'align',
      asap('Chopin_Etudes_op_10_3_SunMeiting08.mid'),
      '--to',
      asap('Chopin_Etudes_op_10_3_midi_score.mid'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as AlignOutput;
    expect(out.stats.samePiece).toBe(true);
    expect(out.stats.matchedNotes).toBeGreaterThan(1700);
    expect(out.map.length).toBeGreaterThan(out.stats.matchedNotes / 4); // a point per matched chord
    for (let k = 1; k < out.map.length; k++) {
      expect(out.map[k]![0]).toBeGreaterThan(out.map[k - 1]![0]);
      expect(out.map[k]![0] - out.map[k - 1]![0]).toBeLessThanOrEqual(0.502);
      expect(out.map[k]![1]).toBeGreaterThanOrEqual(out.map[k - 1]![1]);
    }
    const refBeats = beats('Chopin_Etudes_op_10_3_midi_score');
    const perfBeats = beats('Chopin_Etudes_op_10_3_SunMeiting08');
    const errors = refBeats.map((b, k) => Math.abs(perfTimeOf(out.map, b) - perfBeats[k]!)).sort((a, b) => a - b);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThanOrEqual(0.05);
  });

  it('aligns two performances and says so in words without --json', () => {
    const run = align('Bach_Fugue_bwv_848_Lee01M.mid', 'Bach_Fugue_bwv_848_Denisova06M.mid');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^matched \d+ notes: 9\d\.\d % of the reference's 1435/);
  });

  it('writes tempo, dynamics and asynchrony per beat as CSV (score beats from a beat list) or JSON (from the MIDI)', () => {
    const csv = join(home, 'curves.csv');
    const run = align(
      'Bach_Fugue_bwv_848_Lou01M.mid',
      'Bach_Fugue_bwv_848_midi_score.mid',
      '--beats',
      asap('Bach_Fugue_bwv_848_midi_score_annotations.txt'),
      '--curves',
      csv,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`wrote 217 beats (beat-list) to ${csv}`);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('beat,bar,beatInBar,refTime,perfTime,bpm,refBpm,velocity,notes,asynchronyMs');
    expect(lines).toHaveLength(218);
    // each row's performance time is that pianist's annotated beat, to the millisecond mostly
    const truth = beats('Bach_Fugue_bwv_848_Lou01M');
    const errors = lines.slice(1).map((line, k) => Math.abs(Number(line.split(',')[4]) - truth[k]!));
    expect(errors.filter((e) => e <= 0.05).length).toBeGreaterThan(0.95 * errors.length);

    const json = join(home, 'curves.json');
    const curvesTo = (out: string) =>
      align('Bach_Fugue_bwv_848_Lou01M.mid', 'Bach_Fugue_bwv_848_midi_score.mid', '--curves', out);
    const fromMidi = curvesTo(json);
    expect(fromMidi.code).toBe(0);
    const rows = JSON.parse(readFileSync(json, 'utf8')) as Array<{ bar: number; beatInBar: number; refBpm: number }>;
    expect(rows[0]).toMatchObject({ bar: 1, beatInBar: 1, refBpm: 120 }); // the score MIDI's 4/4 at 120 BPM
    expect(rows[4]).toMatchObject({ bar: 2, beatInBar: 1 });

    const wrongKind = curvesTo(join(home, 'c.txt'));
    expect(wrongKind.code).toBe(2);

    // A place that cannot hold the file (under a regular file): one line, exit 3, nothing left behind.
    const blocker = join(home, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const unwritable = curvesTo(join(blocker, 'curves.csv'));
    expect(unwritable.code).toBe(3);
    expect(unwritable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unwritable.stderr).toContain(`cannot write ${join(blocker, 'curves.csv')}`);
    expect(readFileSync(blocker, 'utf8')).toBe('x');
  });

  it('refuses two different works with exit 3 and one line', () => {
    const run = align('Bach_Fugue_bwv_848_Lee01M.mid', 'Chopin_Etudes_op_10_3_midi_score.mid');
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: .*these do not look like the same piece/);
  });

  it('bad input: a file that is not MIDI, a missing file (exit 3); no --to (exit 2)', () => {
    const notMidi = join(home, 'notes.mid');
    writeFileSync(notMidi, 'not a midi file at all');
    const bad = runCli(['--home', home, 'align', notMidi, '--to', asap('Bach_Fugue_bwv_848_midi_score.mid')]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/^error: notes\.mid: not a MIDI file/);
    const missing = runCli(['--home', home, 'align', join(home, 'none.mid'), '--to', notMidi]);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(runCli(['--home', home, 'align', notMidi]).code).toBe(2);
  });
});
