import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const TOKEN = 'e2e-session-token';
const ARTIFACTS = 'test-results/artifacts';

test('the studio shell opens through the browser host', async ({ page }) => {
  await page.goto(`/?token=${TOKEN}`);
  // The token is traded for a cookie and removed from the address bar.
  expect(new URL(page.url()).searchParams.get('token')).toBeNull();

  await expect(page.getByRole('banner')).toContainText('MIDI-VALLE Studio');
  await expect(page.getByRole('navigation', { name: 'Library' })).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toContainText('Browser host');
  await expect(page.getByRole('contentinfo')).toContainText(process.env.E2E_HOME ?? 'mv-e2e-home');

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/studio-shell.png`, fullPage: true });
});

test('the browser host picks files with file inputs, not OS dialogs', async ({ page }) => {
  await page.goto(`/?token=${TOKEN}`);
  await expect(page.getByRole('banner')).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import MIDI' }).click();
  const midi = await chooser;
  expect(midi.isMultiple()).toBe(true);
  expect(await midi.element().getAttribute('accept')).toContain('.mid');
  expect(await midi.element().getAttribute('aria-label')).toBe('MIDI files to import');
  // Folder choices need the OS dialog: the browser host offers the typed path only.
  await page.getByRole('button', { name: 'Settings view' }).click();
  await expect(page.getByRole('form', { name: 'Import a model pack' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Import a pack folder' })).toHaveCount(0);
});

test('host-side validation rejects a renderer call with malformed arguments', async ({ page }) => {
  await page.goto(`/?token=${TOKEN}`);
  await expect(page.getByRole('banner')).toBeVisible();
  // Speak the bridge protocol from the page itself, as a compromised or buggy renderer would.
  const reply = await page.evaluate(
    () =>
      new Promise<unknown>((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/bridge`);
        ws.onerror = () => reject(new Error('socket failed'));
        ws.onopen = () => ws.send(JSON.stringify({ id: 7, method: 'app.echo', args: { text: { not: 'a string' } } }));
        ws.onmessage = (m) => resolve(JSON.parse(m.data as string));
      }),
  );
  expect(reply).toMatchObject({ id: 7, result: { ok: false, error: { code: 'invalid-argument' } } });
});

test('a browser-host request without the token is refused', async ({ browser }) => {
  const context = await browser.newContext(); // no cookie
  const response = await context.request.get('/');
  expect(response.status()).toBe(401);
  const page = await context.newPage();
  await page.goto('/');
  const refused = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/bridge`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
  );
  expect(refused).toBe('refused');
  await context.close();
});
