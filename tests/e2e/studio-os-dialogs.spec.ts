// The renderer's Electron branch, in Chromium against the browser host: a stand-in preload forwards
// contract calls over the browser host's socket and answers the dialogs.* methods from a script, as
// Electron's main process would. The real OS dialogs are tested in tests/unit/electron-dialogs.test.ts.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { testdata } from '../support/shared-data';

const TOKEN = 'e2e-session-token';
const MIDI = testdata('midi-valle/prompt_A.midi');

/** Installs `window.studio` before the page runs: the shape the preload exposes, nothing more. */
async function desktopBridge(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { studio: unknown; dialogAnswers: unknown[]; dialogCalls: unknown[] };
    w.dialogAnswers = [];
    w.dialogCalls = [];
    const listeners = new Set<(event: unknown) => void>();
    const pending = new Map<number, (result: unknown) => void>();
    let nextId = 1;
    const socket = new Promise<WebSocket>((resolve) => {
      const ws = new WebSocket(`ws://${location.host}/bridge`);
      ws.onopen = () => resolve(ws);
      ws.onmessage = (m) => {
        const frame = JSON.parse(m.data as string);
        if (frame.event) listeners.forEach((l) => l(frame.event));
        else pending.get(frame.id)?.(frame.result);
      };
    });
    w.studio = {
      async invoke(method: string, args: unknown) {
        if (method.startsWith('dialogs.')) {
          w.dialogCalls.push({ method, args });
          return w.dialogAnswers.shift() ?? { ok: true, value: { canceled: true } };
        }
        const ws = await socket;
        const id = nextId++;
        return new Promise((resolve) => {
          pending.set(id, resolve);
          ws.send(JSON.stringify({ id, method, args }));
        });
      },
      onEvent(listener: (event: unknown) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
  });
}

const answer = (page: Page, value: unknown) =>
  page.evaluate((v) => (window as unknown as { dialogAnswers: unknown[] }).dialogAnswers.push(v), value);
const dialogCalls = (page: Page) => page.evaluate(() => (window as unknown as { dialogCalls: unknown[] }).dialogCalls);

test('in Electron the views open OS dialogs instead of file inputs', async ({ page }) => {
  await desktopBridge(page);
  await page.goto(`/?token=${TOKEN}`);
  await expect(page.getByRole('contentinfo')).toContainText('Desktop');
  await expect(page.locator('input[type=file]')).toHaveCount(0);
  let fileInputsOpened = 0;
  page.on('filechooser', () => fileInputsOpened++);

  // Cancelled: nothing changes and nothing is reported.
  await page.getByRole('button', { name: 'Import MIDI' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);

  // An error value from the host is shown where the user acted.
  await answer(page, { ok: false, error: { code: 'bad-input', message: 'cannot read gone.mid: it no longer exists' } });
  await page.getByRole('button', { name: 'Import MIDI' }).click();
  await expect(page.getByRole('navigation', { name: 'Library' })).toContainText('cannot read gone.mid');

  // Chosen files arrive as FileData and import as pieces.
  const file = { fileName: basename(MIDI), dataBase64: readFileSync(MIDI).toString('base64') };
  await answer(page, { ok: true, value: { canceled: false, files: [file] } });
  await page.getByRole('button', { name: 'Import MIDI' }).click();
  await expect(page.getByRole('button', { name: 'Open piece prompt_A' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel('Note count')).toBeVisible({ timeout: 60_000 });

  await page.getByRole('button', { name: 'Add performer' }).click();
  const form = page.getByRole('form', { name: 'Add performer' });
  await answer(page, { ok: true, value: { canceled: false, files: [{ ...file, fileName: 'take.wav' }] } });
  await form.getByRole('button', { name: 'Choose the recording' }).click();
  await expect(form.getByLabel('Performer name')).toHaveValue('take');
  await expect(form).toContainText('take.wav');
  mkdirSync('test-results/artifacts', { recursive: true });
  await page.screenshot({ path: 'test-results/artifacts/desktop-add-performer.png', fullPage: true });
  await form.getByRole('button', { name: 'Cancel adding a performer' }).click();

  await page.getByRole('button', { name: 'Settings view' }).click();
  await page.getByRole('button', { name: 'Import a pack .zip' }).click();
  expect(await dialogCalls(page)).toEqual([
    { method: 'dialogs.openFiles', args: { kind: 'midi', multiple: true } },
    { method: 'dialogs.openFiles', args: { kind: 'midi', multiple: true } },
    { method: 'dialogs.openFiles', args: { kind: 'midi', multiple: true } },
    { method: 'dialogs.openFiles', args: { kind: 'audio', multiple: false } },
    { method: 'dialogs.choosePath', args: { kind: 'pack-zip' } },
  ]);
  await page.screenshot({ path: 'test-results/artifacts/desktop-settings.png', fullPage: true });
  expect(fileInputsOpened).toBe(0);

  // Leave the shared e2e library as the other specs expect it.
  const pieceId = await page.evaluate(async () => {
    const studio = (window as unknown as { studio: { invoke(m: string, a: unknown): Promise<any> } }).studio;
    const list = await studio.invoke('pieces.list', {});
    return list.value.find((p: { fileName: string }) => p.fileName === 'prompt_A.midi')?.id as string;
  });
  await page.evaluate((id) => (window as any).studio.invoke('pieces.remove', { id }), pieceId);
});
