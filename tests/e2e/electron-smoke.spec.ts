import { _electron as electron, expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
// @ts-expect-error plain ESM helper without types
import { electronBinary } from '../../scripts/electron-binary.mjs';

const binary = (electronBinary as () => { path?: string; reason?: string })();

test('the Electron app starts with its sandboxed renderer', async () => {
  test.skip(!binary.path, `Electron smoke test skipped: ${binary.reason ?? 'no Electron binary'}`);
  if (!binary.path) {
    console.log(`NOTICE: Electron smoke test skipped — ${binary.reason}`);
    return;
  }
  const app = await electron.launch({ executablePath: binary.path, args: ['.'] });
  const window = await app.firstWindow();
  await expect(window.getByRole('banner')).toContainText('MIDI-VALLE Studio');
  const isolated = await window.evaluate(() => typeof (globalThis as { require?: unknown }).require === 'undefined');
  expect(isolated).toBe(true);
  mkdirSync('test-results/artifacts', { recursive: true });
  await window.screenshot({ path: 'test-results/artifacts/electron-shell.png' });
  await app.close();
});
