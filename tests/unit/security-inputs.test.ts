// Issue 14, findings 10 and 13 (inputs): every file a command reads is checked before its first byte is
// read — special files (device, FIFO, folder) and oversized files are bad input (exit 3), at once and in
// one line — a closed pipe ends the command quietly, and mistyped output or library paths create nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { projectDir, testdata } from '../support/shared-data';

const dir = mkdtempSync(join(tmpdir(), 'mv-sec-inputs-'));
const home = join(dir, 'home');

/** A file of `bytes` that takes no disk space (sparse). */
function sparse(name: string, bytes: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

function expectBadInput(args: string[], message: RegExp): void {
  const run = runCli(['--home', home, ...args]);
  expect(run.code).toBe(3);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('special and oversized input files (finding 10)', () => {
  it('refuses a device, a FIFO and a folder without reading them', () => {
    expectBadInput(['inspect', '/dev/zero'], /^error: MIDI file \/dev\/zero is not a regular file/);
    const fifo = join(dir, 'pipe.mid');
    execFileSync('mkfifo', [fifo]);
    expectBadInput(['inspect', fifo], /is not a regular file \(a pipe, socket or device\)/);
    expectBadInput(['tokenize', dir], /is a folder/);
    expectBadInput(['audio', 'info', fifo], /is not a regular file/);
    expectBadInput(['pieces', 'import', '/dev/zero'], /is not a regular file/);
  }, 60_000);

  it('refuses oversized files by their size, before reading them', () => {
    expectBadInput(['inspect', sparse('huge.mid', 3 * 1024 ** 3)], /is 3221 MB, more than the 67 MB/);
    expectBadInput(['audio', 'info', sparse('huge.wav', 3 * 1024 ** 3)], /is 3221 MB, more than the 1074 MB/);
    const prompt = sparse('two-hours.wav', 1024 ** 3);
    expectBadInput(
      [
        'performers',
        'add',
        '--name',
        'Long',
        '--audio',
        prompt,
        '--midi',
        testdata('midi-valle/prompt_A.midi'),
        '--consent',
        'self',
        '--licence',
        'CC0',
      ],
      /recording .*two-hours.wav is 1074 MB, more than the 200 MB the studio takes/,
    );
  }, 60_000);

  it('ends quietly when the reader of its output goes away (EPIPE)', () => {
    const file = testdata('asap/Schubert_Wanderer_fantasie_Kolessova02.mid');
    const script = `node ${JSON.stringify(join(projectDir, 'bin', 'midi-valle.mjs'))} --home ${JSON.stringify(home)} tokenize --json ${JSON.stringify(file)} 2>${JSON.stringify(join(dir, 'err.txt'))} | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stdout.trim()).toBe('0');
    // Only the tokenizer's own warning (issue 14, finding 12): no EPIPE, no stack.
    const stderr = readFileSync(join(dir, 'err.txt'), 'utf8');
    expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(stderr.split('\n').filter((line) => line && !line.startsWith('warning: '))).toEqual([]);
  }, 120_000);
});

describe('output and library paths (finding 13)', () => {
  it('render --out into a missing folder fails at once and creates nothing', () => {
    const missing = join(dir, 'no-such-folder', 'deeper');
    expectBadInput(
      ['render', testdata('midi-valle/sample_A.mid'), '--performer', 'x', '--out', join(missing, 'x.wav')],
      /--out: the folder .*no-such-folder\/deeper does not exist/,
    );
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('--home naming a file is bad input in one line, not a raw EEXIST', () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const run = runCli(['--home', file, 'pieces', 'list']);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `error: the library folder ${file} is a file, not a folder; choose another with --home or MIDI_VALLE_HOME\n`,
    );
    const below = runCli(['--home', join(file, 'lib'), 'pieces', 'list']);
    expect(below.code).toBe(3);
    expect(below.stderr).toMatch(/is a file, not a folder/);
  });
});
