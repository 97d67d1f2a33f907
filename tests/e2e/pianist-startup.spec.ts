// A fresh clone's `npm run studio:web` (bin/web-host.mjs) builds the views itself and serves the
// studio: here with an empty build folder, as after `git clone`.
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('studio:web on a fresh build folder builds the views and serves the studio', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const outDir = mkdtempSync(join(tmpdir(), 'mv-fresh-views-'));
  const home = mkdtempSync(join(tmpdir(), 'mv-fresh-home-'));
  const port = 4890 + (process.pid % 50);
  const host = spawn(
    process.execPath,
    ['bin/web-host.mjs', '--port', String(port), '--token', 'fresh', '--home', home],
    {
      env: { ...process.env, MIDI_VALLE_RENDERER_DIR: outDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  host.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  host.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  host.on('exit', (code) => (output += `\n[exited with ${code}]`));
  try {
    await expect
      .poll(() => (output.includes('[exited') ? output : output.includes('Open http') ? 'open' : ''), {
        timeout: 240_000,
      })
      .toBe('open');
    expect(output).toContain(`Open http://127.0.0.1:${port}/`);
    expect(output).toContain("Building the studio's views (the views are not built yet)");
    expect(output).not.toContain('not built (');
    await page.goto(`http://127.0.0.1:${port}/?token=fresh`);
    await expect(page.getByRole('banner')).toContainText('MIDI-VALLE Studio');
    await expect(page.getByRole('button', { name: 'Studio view' })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('fresh-studio-web.png') });
  } finally {
    host.kill('SIGTERM');
    rmSync(outDir, { recursive: true, force: true });
  }
});
