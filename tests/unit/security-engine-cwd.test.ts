// Issue 14, finding 8: the neural engine starts from any working directory. The engine host used to be
// forked with `--import tsx`, which Node resolves from the current directory: from a user's music folder
// `render --engine neural` failed with ERR_MODULE_NOT_FOUND. Here the real command runs from a fresh
// temporary folder that has no node_modules anywhere above it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMidi, writeMidi } from '../../electron/midi';
import { hasTinyPack } from '../support/engine-pack';
import { projectDir, testdata } from '../support/shared-data';

describe.skipIf(!hasTinyPack)('neural engine from another directory', () => {
  it('renders with the built-in pack when the cwd is a temporary folder', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mv-sec-cwd-'));
    expect(existsSync(join(cwd, 'node_modules'))).toBe(false);
    const { performance } = importMidi(readFileSync(testdata('midi-valle/sample_A.mid')));
    writeFileSync(
      join(cwd, 'short.mid'),
      writeMidi(
        performance.notes.filter((n) => n.onset < 3),
        [],
      ),
    );
    const run = spawnSync(
      process.execPath,
      [
        join(projectDir, 'bin', 'midi-valle.mjs'),
        '--home',
        join(cwd, 'home'),
        'render',
        'short.mid',
        '--engine',
        'neural',
        '--pack',
        'random-tiny-1',
        '--performer',
        'Demo: Studio, even touch',
        '--out',
        'short.wav',
      ],
      { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NODE_PATH: '' } },
    );
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find package/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/MIDI-VALLE \(neural\)/);
    expect(statSync(join(cwd, 'short.wav')).size).toBeGreaterThan(44);
  }, 300_000);
});
