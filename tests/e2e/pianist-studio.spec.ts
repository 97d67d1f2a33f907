// The studio as a pianist expects it (issue 16), in Chromium against the browser host and the real
// services: Play before and during a render, seek then play, renders that reopen with their
// performer, sampler takes not offered, lock honoured, Compare letters stable, 1024×700.
import { expect, test, type Page } from '@playwright/test';
import { LONG_PIECE, LONG_PIECE_TITLE, openPiece, position, rollPoint, seconds, shot } from './pianist-support';

const long = { file: LONG_PIECE, title: LONG_PIECE_TITLE };

test.describe.configure({ mode: 'serial' });
test.use({ actionTimeout: 30_000 });

test('play works before any render, from the sampled-grand preview', async ({ page }, testInfo) => {
  await openPiece(page, { importIt: true });
  await expect(page.getByLabel('Open render', { exact: true })).toHaveCount(0); // nothing rendered yet
  const play = page.getByRole('button', { name: 'Play', exact: true });
  await expect(play).toBeEnabled();
  await expect(page.getByLabel('Playing the preview')).toBeVisible();
  await play.click();
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(1.5);
  await shot(page, testInfo, 'preview-playing');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const stopped = await position(page);
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  expect(await position(page)).toBeCloseTo(stopped, 1);
});

test('seek then play starts at the seek point, and the piece keeps its position', async ({ page }, testInfo) => {
  await openPiece(page, { importIt: false });
  const point = await rollPoint(page, 0.6);
  await page.mouse.click(point.x, point.y);
  const sought = await position(page);
  expect(sought).toBeGreaterThan(30);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(sought + 1);
  expect(await position(page)).toBeLessThan(sought + 15);
  await shot(page, testInfo, 'seek-then-play');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const left = await position(page);
  // Another piece opens at its own position; coming back restores this one's.
  await page
    .getByRole('button', { name: /^Open piece / })
    .filter({ hasNotText: 'Bach_Fugue_bwv_848_Denisova06M' })
    .first()
    .click();
  await expect.poll(() => position(page)).toBeLessThan(1);
  await page.getByRole('button', { name: 'Open piece Bach_Fugue_bwv_848_Denisova06M' }).first().click();
  await expect.poll(() => position(page)).toBeCloseTo(left, 0);
});

test('at 1024×700 the Render button shows without scrolling', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openPiece(page, { importIt: false });
  const render = page.getByRole('button', { name: 'Start render' });
  await expect(render).toBeVisible();
  const box = (await render.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(700);
  expect(box.x + box.width).toBeLessThanOrEqual(1024);
  expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);
  await shot(page, testInfo, 'studio-1024x700');
  // The tallest panel: a neural pack (with its noise note) and a seed refused in place.
  const select = page.getByLabel('Render engine');
  const options = await select.locator('option').allTextContents();
  await select.selectOption({ label: options.find((o) => o.includes('noise: for testing'))! });
  await page.getByLabel('Seed (empty for a random seed)').fill('hello');
  await expect(
    page.getByRole('alert').filter({ hasText: 'A seed is a whole number from 0 to 4294967295' }),
  ).toBeVisible();
  await expect(render).toBeDisabled();
  const tall = (await render.boundingBox())!;
  expect(tall.y + tall.height).toBeLessThanOrEqual(700);
  await shot(page, testInfo, 'studio-1024x700-neural-bad-seed');
  await page.getByLabel('Seed (empty for a random seed)').fill('');
  await select.selectOption('sampler');
});

test('the roll fills the height and zooms the keys, with names on them', async ({ page }, testInfo) => {
  await openPiece(page, { importIt: false });
  const canvas = page.getByRole('application', { name: /Piano roll/ }).locator('canvas');
  const before = (await canvas.boundingBox())!;
  expect(before.height).toBeGreaterThan(450); // 900-px window: most of the height, not a fixed 340 px
  const fit = page.getByRole('button', { name: 'Fit the keys to the notes' });
  await expect(fit).toBeDisabled();
  await page.getByRole('button', { name: 'Show fewer keys (taller rows)' }).click();
  await page.getByRole('button', { name: 'Show fewer keys (taller rows)' }).click();
  await expect(fit).toBeEnabled();
  await shot(page, testInfo, 'roll-keys-zoomed');
  await fit.click();
  await expect(fit).toBeDisabled();
  // Alt+wheel over the notes zooms the keys too.
  const point = await rollPoint(page, 0.3);
  await page.mouse.move(point.x, point.y);
  await page.keyboard.down('Alt');
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Alt');
  await expect(fit).toBeEnabled();
});

async function pickAndRender(page: Page, performer: string, engine: RegExp | string) {
  await page.getByRole('radio', { name: `Performer ${performer}` }).click();
  const select = page.getByLabel('Render engine');
  const options = await select.locator('option').allTextContents();
  const label = options.find((o) => (typeof engine === 'string' ? o === engine : engine.test(o)));
  expect(label, `engine ${engine} among ${options.join(', ')}`).toBeTruthy();
  await select.selectOption({ label: label! });
  const openRender = page.getByLabel('Open render', { exact: true });
  const before = (await openRender.count()) ? await openRender.inputValue() : '';
  await page.getByRole('button', { name: 'Start render' }).click();
  // The new render opens at once: what the panel shows from here on is about it.
  await expect(openRender).not.toHaveValue(before, { timeout: 60_000 });
}

test('play works during a render; a cancelled render offers Resume', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  // A long piece: on a fast machine the tiny pack finishes a 2-minute piece before Cancel is pressed.
  await openPiece(page, { importIt: true, ...long });
  // The random-weights pack is marked as noise wherever it can be chosen.
  await pickAndRender(page, 'Demo: Studio, even touch', /^Neural: .*noise: for testing/);
  await expect(page.getByRole('note').filter({ hasText: 'noise: for testing' })).toBeVisible();
  const progress = page.getByLabel('Render progress');
  await expect(progress).toContainText(/segment \d+ of \d+/, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByLabel('Playing the preview')).toBeVisible();
  const from = await position(page);
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(from + 1.5);
  await expect(progress).toContainText(/segment \d+ of \d+/); // still rendering while it plays
  await shot(page, testInfo, 'play-during-render');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  // Once a segment is finished, the preview plays its take and previews the rest.
  const first = page.getByRole('option', { name: /^Segment 1, done/ });
  await expect(first).toBeVisible({ timeout: 300_000 });
  await first.click(); // to its start
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByLabel('Playing the preview')).toContainText('finished segments from the render');
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(1.5);
  await shot(page, testInfo, 'play-finished-segments-during-render');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Cancel render' }).click();
  await expect(progress).toContainText('Cancelled at', { timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Resume render' })).toBeVisible();
  await expect(page.getByLabel('Open render', { exact: true }).locator('option:checked')).toContainText('cancelled at');
  await page.getByRole('button', { name: 'Resume render' }).click();
  await expect(progress).toContainText(/segment \d+ of \d+/, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Cancel render' }).click();
  await expect(progress).toContainText('Cancelled at', { timeout: 120_000 });
  await shot(page, testInfo, 'cancelled-resumable');
});

test('a reopened piece restores its last render and that render’s performer and engine', async ({ page }, testInfo) => {
  test.setTimeout(900_000);
  await openPiece(page, { importIt: false });
  await pickAndRender(page, 'Demo: Concert hall, bold', 'Sampled grand (non-neural)');
  const progress = page.getByLabel('Render progress');
  await expect(progress).toContainText('Finished', { timeout: 600_000 });
  await expect(page.getByRole('group', { name: 'Waveform of the render' })).toHaveAttribute('data-ready', 'true', {
    timeout: 60_000,
  });
  const samplerRender = await page.getByLabel('Open render', { exact: true }).inputValue();
  // Another performer picked, then a reload: the piece reopens on the sampler render with its performer.
  await page.getByRole('radio', { name: 'Performer Demo: Small room, lyrical' }).click();
  await openPiece(page, { importIt: false });
  await expect(page.getByLabel('Open render', { exact: true })).toHaveValue(samplerRender);
  await expect(page.getByRole('radio', { name: 'Performer Demo: Concert hall, bold' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await expect(page.getByLabel('Render engine')).toHaveValue('sampler');
  await expect(progress).toContainText('Finished');
  await shot(page, testInfo, 'reopened-render');
  // The long piece reopens on its cancelled neural render, with that render's performer and pack.
  await page
    .getByRole('button', { name: `Open piece ${LONG_PIECE_TITLE}` })
    .first()
    .click();
  const neural = page.getByLabel('Open render', { exact: true });
  await expect(neural.locator('option:checked')).toContainText('cancelled');
  const neuralId = await neural.inputValue();
  await expect(page.getByRole('radio', { name: 'Performer Demo: Studio, even touch' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await expect(page.getByLabel('Render engine')).not.toHaveValue('sampler');
  await openPiece(page, { importIt: false, ...long });
  await expect(page.getByLabel('Open render', { exact: true })).toHaveValue(neuralId);
  await expect(page.getByLabel('How this render was made')).toContainText('noise: for testing');
  // Back on the first piece, its sampler render and engine return.
  await openPiece(page, { importIt: false });
  await expect(page.getByLabel('Open render', { exact: true })).toHaveValue(samplerRender);
  await expect(page.getByLabel('Render engine')).toHaveValue('sampler');
});

test('a performer picked while the piece reopens its last render is kept', async ({ page }) => {
  // Hold the fetch of the render the piece reopens on, so the pick lands before it, as on a busy machine.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.routeWebSocket(/./, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage(async (message) => {
      if (typeof message === 'string' && message.includes('"renders.get"')) await held;
      server.send(message);
    });
  });
  await openPiece(page, { importIt: false });
  const picked = page.getByRole('radio', { name: 'Performer Demo: Small room, lyrical' });
  await picked.click();
  release();
  await expect(page.getByLabel('How this render was made')).toContainText('Concert hall');
  await expect(picked).toHaveAttribute('aria-checked', 'true');
});

test('identical sampler takes are not offered; a locked segment shows it and R refuses', async ({ page }, testInfo) => {
  await openPiece(page, { importIt: false });
  await expect(page.getByLabel('Render engine')).toHaveValue('sampler');
  await page.getByRole('option', { name: /^Segment 2,/ }).click();
  const regenerate = page.getByRole('button', { name: 'Regenerate segment 2 with a new seed' });
  await expect(regenerate).toBeDisabled();
  await expect(page.getByLabel('Why there are no new takes')).toContainText('would be identical');
  await page.keyboard.press('r');
  await expect(page.getByRole('alert').filter({ hasText: 'would be identical' })).toBeVisible();
  const takes = page.getByRole('list', { name: 'Take history of segment 2' }).getByRole('listitem');
  await expect(takes).toHaveCount(1);
  await shot(page, testInfo, 'sampler-takes-not-offered');

  await page.getByRole('checkbox', { name: 'Lock take 1' }).check();
  const chip = page.getByRole('option', { name: /^Segment 2,/ });
  await expect(chip).toHaveAttribute('aria-label', /locked/);
  await expect(chip).toContainText('🔒');
  await chip.click();
  await page.keyboard.press('r');
  await expect(page.getByRole('alert').filter({ hasText: 'Segment 2 is locked' })).toBeVisible();
  await expect(takes).toHaveCount(1);
  await shot(page, testInfo, 'segment-locked');
  await page.getByRole('checkbox', { name: 'Lock take 1' }).uncheck();
  await expect(chip).not.toHaveAttribute('aria-label', /locked/);
});

test('Compare letters stay with their renders, in one order', async ({ page }, testInfo) => {
  test.setTimeout(900_000);
  await openPiece(page, { importIt: false });
  for (const performer of ['Demo: Small room, lyrical', 'Demo: Studio, even touch']) {
    await pickAndRender(page, performer, 'Sampled grand (non-neural)');
    await expect(page.getByLabel('Render progress')).toContainText('Finished', { timeout: 600_000 });
  }
  await page.getByRole('button', { name: 'Compare view' }).click();
  const boxes = page.getByRole('checkbox', { name: /^Compare [A-H]: / });
  await expect(boxes).toHaveCount(3);
  // Oldest first, A to C; the two newest are ticked.
  const names = await boxes.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  expect(names.map((n) => n!.slice(8, 9))).toEqual(['A', 'B', 'C']);
  expect(names[0]).toContain('Concert hall');
  expect(names[2]).toContain('Studio, even touch');
  const lanes = page.getByRole('radiogroup', { name: 'Audible render' }).getByRole('radio');
  await expect(lanes).toHaveText(['B: Demo: Small room, lyrical', 'C: Demo: Studio, even touch'], {
    timeout: 60_000,
  });
  await boxes.nth(0).check();
  await expect(lanes).toHaveText([
    'A: Demo: Concert hall, bold',
    'B: Demo: Small room, lyrical',
    'C: Demo: Studio, even touch',
  ]);
  await boxes.nth(1).uncheck();
  await expect(lanes).toHaveText(['A: Demo: Concert hall, bold', 'C: Demo: Studio, even touch']);
  await page.keyboard.press('c');
  await expect(page.getByText(/^Listening to /)).toContainText('C: Demo: Studio, even touch');
  await page.keyboard.press('b'); // not compared now: nothing changes
  await expect(page.getByText(/^Listening to /)).toContainText('C: Demo: Studio, even touch');
  await page.getByRole('button', { name: 'Play comparison' }).click();
  await expect
    .poll(async () => seconds(await page.getByLabel('Comparison position').textContent()), {
      timeout: 30_000,
    })
    .toBeGreaterThan(1);
  await shot(page, testInfo, 'compare-letters');
  await page.getByRole('button', { name: 'Pause comparison' }).click();
});
