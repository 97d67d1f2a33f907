import { expect, test } from '@playwright/test';
import { bridgeCall } from '../support/e2e-bridge';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importMidi } from '../../electron/midi';
import { writeMidi } from '../../electron/midi/write';
import { testdata } from '../support/shared-data';

// Compare in musical time: two pianists' renders of the opening of Bach's fugue BWV 848 (ASAP —
// Foscarin et al., ISMIR 2020, CC BY-NC-SA 4.0), switched A→B at bar 4: B must go on at its own bar 4,
// which the ASAP annotations place for each pianist.
const TOKEN = 'e2e-session-token';
const BACH = 'Bach_Fugue_bwv_848';
const annotated = (name: string): number[] =>
  readFileSync(testdata(`asap/${BACH}_${name}_annotations.txt`), 'utf8')
    .trim()
    .split('\n')
    .map((line) => Number(line.split('\t')[0]));
/** Annotation index of bar 4's downbeat (the files start with a two-beat pickup: db at index 2). */
const BAR4 = 2 + 4 * 2;

/** The first six bars of a file (up to its own annotated downbeat of bar 7), as MIDI data for the bridge. */
function opening(name: string): { fileName: string; dataBase64: string } {
  const cut = annotated(name)[2 + 5 * 4]!;
  const notes = importMidi(readFileSync(testdata(`asap/${BACH}_${name}.mid`)), name).performance.notes.filter(
    (n) => n.onset < cut - 0.02,
  );
  const dir = mkdtempSync(join(tmpdir(), 'mv-work-compare-'));
  const path = join(dir, `${name}.mid`);
  writeFileSync(path, writeMidi(notes));
  return { fileName: `${name}.mid`, dataBase64: readFileSync(path).toString('base64') };
}

test('switching A→B at bar 4 plays bar 4 of B; the ruler seeks; a bar loops', async ({ page }) => {
  await page.goto(`/?token=${TOKEN}`);
  await expect(page.getByRole('banner')).toBeVisible();
  const work = await bridgeCall<{ id: string; pieces: Array<{ id: string }> }>(page, 'works.create', {
    title: 'Fugue opening',
    score: opening('midi_score'),
    files: [opening('Lee01M'), opening('Lou01M')],
  });
  const performers = await bridgeCall<Array<{ id: string }>>(page, 'performers.list', {});
  for (const piece of work.pieces) {
    const { renderId } = await bridgeCall<{ renderId: string }>(page, 'renders.start', {
      pieceId: piece.id,
      performerId: performers[0]!.id,
      engine: 'sampler',
    });
    await expect
      .poll(async () => (await bridgeCall<{ status: string }>(page, 'renders.get', { id: renderId })).status, {
        timeout: 300_000,
      })
      .toBe('done');
  }

  await page.getByRole('button', { name: 'Works view' }).click();
  await page.getByRole('button', { name: 'Open work Fugue opening' }).click();
  const a = page.getByRole('radio', { name: /^Listen to A: .*Lee01M/ });
  const b = page.getByRole('radio', { name: /^Listen to B: .*Lou01M/ });
  await expect(a).toHaveAttribute('aria-checked', 'true', { timeout: 60_000 });

  // the ruler seeks to bar 4: A (Lee) is at its own bar 4
  const ruler = page.getByRole('slider', { name: 'Bar ruler' });
  const beats = 24; // the score opening's beats, bars 1–6 in 4/4
  const box = (await ruler.boundingBox())!;
  await ruler.click({ position: { x: (12 / (beats - 1)) * box.width, y: 13 } });
  const readout = page.getByLabel('Musical position');
  await expect(readout).toContainText('Bar 4, beat 1 · A:');
  const perfTime = async () => Number(await readout.getAttribute('data-perf-time'));
  expect(Math.abs((await perfTime()) - annotated('Lee01M')[BAR4]!)).toBeLessThan(0.05);

  // A → B at bar 4: B is at Lou's bar 4, and it plays on from there
  await b.click();
  await expect(readout).toContainText('Bar 4, beat 1 · B:');
  expect(Math.abs((await perfTime()) - annotated('Lou01M')[BAR4]!)).toBeLessThan(0.05);
  await page.getByRole('button', { name: 'Play in musical time' }).click();
  await expect.poll(perfTime, { timeout: 15_000 }).toBeGreaterThan(annotated('Lou01M')[BAR4]! + 0.5);
  await expect(readout).toContainText(/Bar [45], beat \d · B:/);
  await page.keyboard.press('a'); // and back to A, still in the same bar and beat
  await expect(a).toHaveAttribute('aria-checked', 'true');
  await page.getByRole('button', { name: 'Pause in musical time' }).click();
  const bar = (text: string | null) => Number(/Bar (\d+)/.exec(text ?? '')?.[1]);
  expect(bar(await readout.textContent())).toBeGreaterThanOrEqual(4);

  // loop bar 2: playing goes round bar 2 and never reaches bar 3
  await page.getByLabel('Loop from bar').fill('2');
  await page.getByLabel('Loop to bar').fill('2');
  await page.getByLabel('Loop bars').check();
  await expect(readout).toContainText('Bar 2, beat 1');
  await page.getByRole('button', { name: 'Play in musical time' }).click();
  const bars: number[] = [];
  const times: number[] = [];
  for (let k = 0; k < 14; k++) {
    await page.waitForTimeout(300);
    bars.push(bar(await readout.textContent()));
    times.push(await perfTime());
  }
  await page.getByRole('button', { name: 'Pause in musical time' }).click();
  expect(new Set(bars)).toEqual(new Set([2]));
  // it played (time moved) and went round (time jumped back at the end of the bar)
  expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(0.5);
  expect(times.some((t, k) => k > 0 && t < times[k - 1]! - 0.3)).toBe(true);
});
