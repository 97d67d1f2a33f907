// Issue 14, finding 11: on a full or read-only disk every read-only command still works, every write
// fails with one "unavailable" line (pack import and export included), and a library that could not be
// created leaves no 0-byte database. The library lives on a real tmpfs, filled or remounted read-only.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importMidi, writeMidi } from '../../electron/midi';
import { runCli } from '../support/cli';
import { canMountTmpfs, fillDisk, mountTmpfs, newMountpoint, remountReadOnly, unmount } from '../support/disk-faults';
import { tinyPackDir } from '../support/engine-pack';
import { testdata } from '../support/shared-data';

const mountpoint = newMountpoint();
const mountable = canMountTmpfs(mountpoint);
if (!mountable)
  console.warn(
    'NOTICE: security-disk skipped: this machine cannot mount a tmpfs (needs root on Linux); NOT tested here',
  );

/** One line on stderr, naming the problem; never a stack or a raw errno. */
function expectUnavailable(run: { code: number; stderr: string }, why: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(why);
  expect(run.stderr).not.toMatch(/ENOSPC|EROFS|disk I\/O error|\n\s+at /);
}

describe.skipIf(!mountable)('a library on a full or read-only disk', () => {
  let home: string;
  let renderId: string;

  beforeEach(() => {
    mountTmpfs(mountpoint, '24m');
    home = join(mountpoint, 'library');
    const { performance } = importMidi(readFileSync(testdata('midi-valle/sample_A.mid')));
    const piece = join(mountpoint, 'short.mid');
    writeFileSync(
      piece,
      writeMidi(
        performance.notes.filter((n) => n.onset < 4),
        [],
      ),
    );
    const render = runCli(['--home', home, '--json', 'render', piece, '--performer', 'Demo: Studio, even touch']);
    expect(render.code).toBe(0);
    renderId = (JSON.parse(render.stdout) as { renderId: string }).renderId;
    rmSync(piece);
    mkdirSync(join(mountpoint, 'out'));
  }, 120_000);
  afterEach(() => unmount(mountpoint));

  function expectReadsWork(): void {
    const pieces = runCli(['--home', home, 'pieces', 'list']);
    expect(pieces.stderr).toBe('');
    expect(pieces.stdout).toMatch(/short/);
    for (const args of [
      ['performers', 'list'],
      ['renders', 'list'],
      ['takes', 'list', '--render', renderId],
      ['packs', 'list'],
    ]) {
      const run = runCli(['--home', home, ...args]);
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    const check = runCli(['--home', home, 'library', 'check']);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^library ok/);
  }

  it('full: reads work; imports, pack imports and exports fail with one line', () => {
    fillDisk(mountpoint);
    expectReadsWork();
    expectUnavailable(runCli(['--home', home, 'pieces', 'import', testdata('midi-valle/sample_B.mid')]), /is full/);
    expectUnavailable(runCli(['--home', home, 'packs', 'import', tinyPackDir]), /is full/);
    expectUnavailable(runCli(['--home', home, 'export', renderId, '--out', join(mountpoint, 'out')]), /is full/);
    // Nothing half-written: once space is back, the library is whole and takes writes again.
    rmSync(join(mountpoint, 'filler'));
    expect(runCli(['--home', home, 'library', 'check']).stdout).toMatch(/^library ok/);
    expect(runCli(['--home', home, 'pieces', 'import', testdata('midi-valle/sample_B.mid')]).code).toBe(0);
  }, 180_000);

  it('full: a new library fails in one line and leaves no 0-byte database', () => {
    fillDisk(mountpoint);
    const fresh = join(mountpoint, 'fresh');
    expectUnavailable(runCli(['--home', fresh, 'pieces', 'list']), /is full/);
    expect(existsSync(join(fresh, 'library.sqlite'))).toBe(false);
  }, 60_000);

  it('read-only: reads work; writes fail with one line', () => {
    remountReadOnly(mountpoint);
    expectReadsWork();
    expectUnavailable(
      runCli(['--home', home, 'pieces', 'import', testdata('midi-valle/sample_B.mid')]),
      /cannot be written/,
    );
    expectUnavailable(runCli(['--home', home, 'packs', 'import', tinyPackDir]), /cannot be written/);
    expectUnavailable(
      runCli(['--home', home, 'export', renderId, '--out', join(mountpoint, 'out')]),
      /cannot be written/,
    );
  }, 180_000);
});
