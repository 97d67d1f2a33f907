import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

const home = mkdtempSync(join(tmpdir(), 'mv-cli-'));

describe('midi-valle CLI basics', () => {
  it('prints its version', () => {
    const run = runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('prints help listing its commands', () => {
    const run = runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: midi-valle/);
    expect(run.stdout).toMatch(/info/);
  });

  it('exits 2 with usage on an unknown command', () => {
    const run = runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: unknown command 'frobnicate'/m);
    expect(run.stderr).toMatch(/usage/i);
  });

  it('exits 2 on an unknown option', () => {
    expect(runCli(['info', '--nope']).code).toBe(2);
  });

  it('with --json, a failure is also one JSON line on stdout, with the same code and exit status', () => {
    const missing = join(home, 'no-such.mid');
    const plain = runCli(['--home', home, 'pieces', 'import', missing]);
    expect(plain.code).toBe(3);
    expect(plain.stdout).toBe('');
    const run = runCli(['--home', home, '--json', 'pieces', 'import', missing]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: .*no-such\.mid/m);
    const body = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('bad-input');
    expect(body.error.message).toContain('no-such.mid');
  });

  it('gives machine-readable info with --json, honouring --home and MIDI_VALLE_HOME', () => {
    const run = runCli(['--home', home, '--json', 'info']);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout) as { home: string; engines: Array<{ id: string }> };
    expect(info.home).toBe(home);
    expect(info.engines.map((e) => e.id)).toContain('sampler');
    const viaEnv = JSON.parse(runCli(['--json', 'info'], { env: { MIDI_VALLE_HOME: home } }).stdout) as {
      home: string;
    };
    expect(viaEnv.home).toBe(home);
  });
});
