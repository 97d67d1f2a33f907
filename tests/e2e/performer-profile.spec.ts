// The performer match in the studio: the selected performer's card shows its profile for the sampled
// grand (tone, room and touch plots, the fit's distance before and after), and the render panel has
// the switch that renders the plain grand instead.
import { expect, test } from '@playwright/test';

const TOKEN = 'e2e-session-token';
test.use({ actionTimeout: 30_000 });

test('the selected performer shows its fitted profile; the render panel can turn matching off', async ({ page }) => {
  await page.goto(`/?token=${TOKEN}`);
  await page.getByRole('button', { name: /Open piece .*Prelude in C major/ }).click();
  const demo = page.getByRole('radio', { name: /Performer / }).first();
  await demo.click();
  const profile = page.getByLabel('Performer profile');
  await expect(profile.getByRole('img', { name: /Tone curve/ })).toBeVisible({ timeout: 60_000 });
  await expect(profile.getByRole('img', { name: /Room decay/ })).toBeVisible();
  await expect(profile.getByRole('img', { name: /Touch/ })).toBeVisible();
  await expect(profile.getByLabel('Fit distance')).toHaveText(
    /Log-mel distance to the prompt [\d.]+ → [\d.]+ dB \(-?\d+ % closer\)/,
  );
  expect(await profile.locator('polyline').count()).toBe(2);
  expect(await profile.locator('rect').count()).toBe(9);
  const toggle = page.getByLabel("Match the performer's recording");
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await expect(toggle).not.toBeChecked();
  await page.screenshot({ path: 'test-results/artifacts/performer-profile.png', fullPage: true });
});
