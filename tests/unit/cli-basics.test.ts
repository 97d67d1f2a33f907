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
