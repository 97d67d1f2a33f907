import { describe, expect, it } from 'vitest';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { projectDir } from '../support/shared-data';

const prompt = join(projectDir, 'resources', 'demo', 'demo-room-lyrical.wav');

describe('midi-valle audio', () => {
  it('info prints loudness and format as JSON', () => {
    const run = runCli(['--json', 'audio', 'info', prompt]);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout) as {
      sampleRate: number;
      channels: number;
      seconds: number;
      loudnessLufs: number;
    };
    expect(info).toMatchObject({ sampleRate: 32000, channels: 1, seconds: 3 });
    expect(Math.abs(info.loudnessLufs - -20)).toBeLessThanOrEqual(0.2);
  });

  it('convert writes a normalised FLAC at 48 kHz', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cli-audio-')), 'x.flac');
    const run = runCli([
      '--json',
      'audio',
      'convert',
      prompt,
      out,
      '--rate',
      '48000',
      '--bits',
      '24',
      '--normalize',
      '-18',
    ]);
    expect(run.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const info = JSON.parse(runCli(['--json', 'audio', 'info', out]).stdout) as {
      sampleRate: number;
      loudnessLufs: number;
    };
    expect(info.sampleRate).toBe(48000);
    expect(Math.abs(info.loudnessLufs - -18)).toBeLessThanOrEqual(0.2);
  });

  it('reports unusable input with exit code 3 and one error line', () => {
    const run = runCli(['audio', 'info', join(projectDir, 'package.json')]);
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: package\.json: not a WAV/);
  });

  it('rejects an unknown output format as a usage error', () => {
    expect(runCli(['audio', 'convert', prompt, join(tmpdir(), 'x.ogg')]).code).toBe(2);
  });
});
