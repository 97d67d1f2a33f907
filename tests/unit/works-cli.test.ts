// Works in the library through the real CLI (works.* contract methods, migration 0005), and aligning
// a work's pieces by id. Data: ASAP (Foscarin et al., ISMIR 2020, CC BY-NC-SA 4.0).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkCurves, WorkDetail, WorkSummary } from '../../electron/contract/methods/works';
import { createStudio } from '../../electron/services/studio';
import { runCli } from '../support/cli';
import { testdata } from '../support/shared-data';
import { tempHome } from './library-fixtures';

const asap = (name: string) => testdata(`asap/${name}.mid`);
const BACH = 'Bach_Fugue_bwv_848';

describe('midi-valle works', () => {
  let home: string;
  const cli = (...args: string[]) => runCli(['--home', home, ...args]);
  const json = <T>(...args: string[]): T => {
    const run = runCli(['--json', '--home', home, ...args]);
    if (run.code !== 0) throw new Error(`midi-valle ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    return JSON.parse(run.stdout) as T;
  };
  let work: WorkDetail;

  beforeAll(() => {
    home = tempHome('works');
    work = json<WorkDetail>(
      'works',
      'create',
      '--title',
      'Fugue in C# major',
      '--composer',
      'J. S. Bach',
      '--score',
      asap(`${BACH}_midi_score`),
      asap(`${BACH}_Lee01M`),
      asap(`${BACH}_Lou01M`),
    );
  });

  it('creates a work from several files at once, with its score', () => {
    expect(work).toMatchObject({ title: 'Fugue in C# major', composer: 'J. S. Bach' });
    expect(work.score).toMatchObject({ title: `${BACH}_midi_score`, noteCount: 1429 });
    expect(work.pieces.map((p) => p.title)).toEqual([`${BACH}_Lee01M`, `${BACH}_Lou01M`]);
    // the files are ordinary pieces too (render, takes, export stay per performance)
    const pieceIds = json<Array<{ id: string }>>('pieces', 'list').map((p) => p.id);
    expect(pieceIds).toEqual(expect.arrayContaining([work.score!.id, ...work.pieces.map((p) => p.id)]));
  });

  it('adds a performance later, lists and shows works', () => {
    const added = json<WorkDetail>('works', 'add', work.id, asap(`${BACH}_Denisova06M`));
    expect(added.pieces).toHaveLength(3);
    expect(json<WorkDetail>('works', 'add', work.id, '--piece', added.pieces[0]!.id).pieces).toHaveLength(3); // no duplicate
    const list = json<WorkSummary[]>('works', 'list');
    expect(list).toEqual([expect.objectContaining({ id: work.id, pieceCount: 3, hasScore: true })]);
    const shown = cli('works', 'show', work.id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('3 performances:');
    expect(shown.stdout).toContain(`score: ${BACH}_midi_score`);
  });

  it('aligns a work’s performance to its score by piece id through the contract', async () => {
    const studio = createStudio({ home, host: 'cli', demoContent: false });
    try {
      const result = await studio.dispatch('works.align', {
        perf: { pieceId: work.pieces[0]!.id },
        ref: { pieceId: work.score!.id },
        curves: true,
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const value = result.value as { stats: { samePiece: boolean }; curves: Array<{ bar: number }> };
      expect(value.stats.samePiece).toBe(true);
      expect(value.curves.at(-1)!.bar).toBe(55); // the fugue's 55 bars
    } finally {
      await studio.close();
    }
  });

  it('curves of every performance on the score’s beat ruler; a piece of other music gets none', () => {
    json<WorkDetail>('works', 'add', work.id, asap('Chopin_Etudes_op_10_3_SunMeiting08'));
    const out = join(home, 'work-curves.csv');
    const result = json<WorkCurves>('works', 'curves', work.id, '--out', out);
    expect(result.referenceKind).toBe('score');
    expect(result.beats.bars.at(-1)).toBe(55);
    expect(result.performances.map((p) => p.curves.length)).toEqual([219, 219, 219, 0]);
    expect(result.performances[3]!.stats.samePiece).toBe(false);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('pieceId,title,beat,bar,beatInBar,refTime,perfTime,bpm,refBpm,velocity,notes,asynchronyMs');
    expect(lines).toHaveLength(1 + 3 * 219);
    // a performance as the reference: it maps onto itself
    const lee = result.performances[0]!.pieceId;
    const byLee = json<WorkCurves>('works', 'curves', work.id, '--reference', lee);
    expect(byLee.referenceKind).toBe('performance');
    const self = byLee.performances.find((p) => p.pieceId === lee)!;
    expect(self.curves.every((row) => Math.abs(row.perfTime - row.refTime) < 0.002)).toBe(true);
  });

  it('bad input: unknown work (exit 3), a file that is not MIDI stores nothing (exit 3), missing title (exit 2)', () => {
    expect(cli('works', 'show', 'no-such-work').code).toBe(3);
    const bad = join(home, 'bad.mid');
    writeFileSync(bad, 'not midi');
    const before = json<unknown[]>('pieces', 'list').length;
    const run = cli('works', 'create', '--title', 'X', asap(`${BACH}_Lee01M`), bad);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: bad\.mid: not a MIDI file/);
    expect(json<unknown[]>('pieces', 'list')).toHaveLength(before);
    expect(json<WorkSummary[]>('works', 'list')).toHaveLength(1);
    expect(cli('works', 'curves', work.id, '--reference', 'not-in-work').code).toBe(3);
    expect(cli('works', 'create', asap(`${BACH}_Lee01M`)).code).toBe(2);
  });
});
