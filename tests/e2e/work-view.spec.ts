import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { testdata } from '../support/shared-data';

// The Works view: a work made of two performances and a score (ASAP — Foscarin et al., ISMIR 2020,
// CC BY-NC-SA 4.0), its curves under one bar ruler, and where each pianist reaches a bar.
const TOKEN = 'e2e-session-token';
const asap = (name: string) => testdata(`asap/Bach_Fugue_bwv_848_${name}.mid`);

test('a work of two performances and a score shows their curves bar by bar', async ({ page }) => {
  await page.goto(`/?token=${TOKEN}`);
  await page.getByRole('button', { name: 'Works view' }).click();
  const form = page.getByRole('form', { name: 'New work' });
  await form.getByLabel('Work title').fill('Fugue BWV 848');
  await page.getByLabel('Performance MIDI files', { exact: true }).setInputFiles([asap('Lee01M'), asap('Lou01M')]);
  await page.getByLabel('Score MIDI file').setInputFiles(asap('midi_score'));
  await form.getByRole('button', { name: 'Create work' }).click();

  await expect(page.getByRole('button', { name: 'Open work Fugue BWV 848' })).toBeVisible();
  const legend = page.getByRole('list', { name: 'Performances' });
  await expect(legend).toContainText('Bach_Fugue_bwv_848_Lee01M');
  await expect(legend).toContainText('Bach_Fugue_bwv_848_Lou01M');
  for (const name of ['Tempo', 'Dynamics', 'Hand asynchrony']) {
    await expect(page.getByRole('img', { name: `${name} curves` }).locator('path')).toHaveCount(2);
  }
  await expect(page.getByText('aligned to the score')).toContainText('55 bars');

  // the ruler is musical time: a click on bar 2 says when each pianist reaches it (ASAP: Lee 2.09 s, Lou 1.97 s)
  const ruler = page.getByRole('slider', { name: 'Bar ruler' });
  const box = (await ruler.boundingBox())!;
  await ruler.click({ position: { x: (4 / 218) * box.width, y: 13 } }); // beat 5 of 219 = bar 2's downbeat
  await expect(page.getByText(/^Bar 2:/)).toContainText('Lee01M at 0:02.1');
  await expect(page.getByText(/^Bar 2:/)).toContainText('Lou01M at 0:02.0');
  await ruler.press('ArrowRight');
  await expect(page.getByText(/^Bar 3:/)).toBeVisible();

  mkdirSync('test-results/artifacts', { recursive: true });
  await page.screenshot({ path: 'test-results/artifacts/work-view.png', fullPage: true });
});
