// The studio's acceptance flow in Chromium against the browser host and the real services:
// import → piano roll → performer → render (sampled grand) → waveform → regenerate a segment →
// take history → choose → compare two performers with A/B → export WAV mix and hand stems;
// then a neural render with progress and cancel.
import { expect, test, type Page } from '@playwright/test';
import { bridgeCall } from '../support/e2e-bridge';
import { mkdirSync, readFileSync } from 'node:fs';
import { importMidi } from '../../electron/midi';
import { testdata } from '../support/shared-data';
import { LONG_PIECE, LONG_PIECE_TITLE } from './pianist-support';

const TOKEN = 'e2e-session-token';
const ARTIFACTS = 'test-results/artifacts';
const PIECE = testdata('asap/Bach_Fugue_bwv_848_Lee01M.mid');

test.describe.configure({ mode: 'serial' });
test.use({ actionTimeout: 30_000 });

test.afterEach(async ({ page }, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus)
    await shot(page, `failed-${testInfo.title.slice(0, 30).replace(/\W+/g, '-')}`);
});

const shot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
};

/** Duration of a PCM WAV file from its header (fmt and data chunks). */
function wavDuration(bytes: Buffer): number {
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') byteRate = bytes.readUInt32LE(offset + 16);
    if (id === 'data') return Math.min(size, bytes.length - offset - 8) / byteRate;
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

/** Every frame the page's bridge sockets receive, parsed, to wait on the app's own refetches. */
function recordBridgeFrames(page: Page): Array<Record<string, unknown>> {
  const frames: Array<Record<string, unknown>> = [];
  page.on('websocket', (ws) => {
    if (new URL(ws.url()).pathname === '/bridge')
      ws.on('framereceived', ({ payload }) => frames.push(JSON.parse(String(payload)) as Record<string, unknown>));
  });
  return frames;
}

/** Whether the app has refetched the renders list since it heard that job `jobId` ended. */
function refetchedAfterJob(frames: Array<Record<string, unknown>>, jobId: string, renderId: string): boolean {
  const ended = frames.findIndex((f) => {
    const event = f.event as { type?: string; jobId?: string } | undefined;
    return event?.type === 'job.ended' && event.jobId === jobId;
  });
  return (
    ended >= 0 &&
    frames.slice(ended + 1).some((f) => {
      const value = (f.result as { value?: unknown } | undefined)?.value;
      return Array.isArray(value) && value.some((r: { id?: string }) => r.id === renderId);
    })
  );
}

async function addPerformer(page: Page, name: string, prompt: 'A' | 'B'): Promise<void> {
  await page.getByRole('button', { name: 'Add performer' }).click();
  const form = page.getByRole('form', { name: 'Add performer' });
  await form.getByLabel('Performer name').fill(name);
  await form.getByLabel('Recording file').setInputFiles(testdata(`midi-valle/prompt_${prompt}.wav`));
  await form.getByLabel('MIDI file of the recording').setInputFiles(testdata(`midi-valle/prompt_${prompt}.midi`));
  await form.getByLabel('Licence of the recording').fill('CC0');
  await form.getByRole('radio', { name: 'I am the performer' }).check();
  await form.getByRole('button', { name: 'Save performer' }).click();
  await expect(page.getByRole('radio', { name: `Performer ${name}` })).toBeVisible({ timeout: 60_000 });
}

async function renderWith(page: Page, performer: string, engine: string | RegExp): Promise<void> {
  await page.getByRole('radio', { name: performer }).click();
  const select = page.getByLabel('Render engine');
  const options = await select.locator('option').allTextContents();
  const label = options.find((o) => (typeof engine === 'string' ? o === engine : engine.test(o)));
  expect(label, `engine option ${engine} among ${options.join(', ')}`).toBeTruthy();
  await select.selectOption({ label: label! });
  await page.getByRole('button', { name: 'Start render' }).click();
}

let pieceOpened = false;

async function openStudio(page: Page): Promise<void> {
  await page.goto(`/?token=${TOKEN}`);
  await expect(page.getByRole('banner')).toContainText('MIDI-VALLE Studio');
  if (!pieceOpened) {
    await page.getByLabel('MIDI files to import').setInputFiles(PIECE);
    pieceOpened = true;
  } else {
    await page
      .getByRole('button', { name: /^Open piece / })
      .first()
      .click();
  }
}

test('import, render with the sampled grand, regenerate, choose, compare, export', async ({ page }) => {
  test.setTimeout(900_000);
  const frames = recordBridgeFrames(page);
  await openStudio(page);

  // The piano roll shows every note of the file.
  const expected = importMidi(readFileSync(PIECE)).performance.notes.length;
  await expect(page.getByLabel('Note count')).toHaveText(`${expected} notes`, { timeout: 60_000 });
  await expect(page.getByRole('application', { name: /Piano roll of \d+ notes/ })).toBeVisible();
  await shot(page, 'piano-roll');

  // A demo performer when the library has one; two performers from real prompts either way.
  await addPerformer(page, 'Prompt A', 'A');
  await addPerformer(page, 'Prompt B', 'B');
  const demo = page.getByRole('radio', { name: /Performer .*/ }).filter({ hasText: 'Demo' });
  const first = (await demo.count()) ? ((await demo.first().getAttribute('aria-label')) ?? '') : 'Performer Prompt A';
  await shot(page, 'performers');

  await renderWith(page, first, 'Sampled grand (non-neural)');
  await expect(page.getByLabel('Render progress')).toBeVisible();
  const waveform = page.getByRole('group', { name: 'Waveform of the render' });
  await expect(waveform).toHaveAttribute('data-ready', 'true', { timeout: 600_000 });
  await shot(page, 'studio-render');

  // Segment 2: a second take, then back to the first.
  // Segment 1, then → to segment 2 and R to regenerate it: the keyboard path.
  await page.getByRole('option', { name: /^Segment 1,/ }).click();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('region', { name: 'Segment 2' })).toBeVisible();
  // The sampled grand is deterministic: the studio offers no new take (it would be identical) and
  // says why. The take history is exercised with a neural render at the end of this test.
  await page.keyboard.press('r');
  await expect(page.getByRole('alert').filter({ hasText: 'would be identical' })).toBeVisible();
  const renderId = await page.getByLabel('Open render').inputValue();
  await page.getByRole('button', { name: 'Switch between light and dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, 'studio-dark');
  await page.getByRole('button', { name: 'Switch between light and dark theme' }).click();

  // A time range dragged on the roll's ruler regenerates every segment under it.
  const roll = await page
    .getByRole('application', { name: /Piano roll/ })
    .locator('canvas')
    .boundingBox();
  const plotLeft = roll!.x + 56;
  const plotWidth = roll!.width - 56;
  await page.mouse.move(plotLeft + plotWidth * 0.55, roll!.y + 8);
  await page.mouse.down();
  await page.mouse.move(plotLeft + plotWidth * 0.62, roll!.y + 8, { steps: 5 });
  await page.mouse.move(plotLeft + plotWidth * 0.7, roll!.y + 8, { steps: 5 });
  await page.mouse.up();
  const range = page.getByLabel('Selected range');
  await expect(range).toContainText(/segments \d+(, \d+)*/);
  const inRange = ((await range.textContent()) ?? '')
    .match(/segments ([\d, ]+)/)![1]!
    .split(',')
    .map((n) => n.trim());
  await shot(page, 'range-selection');
  // With the sampled grand a range offers no new takes either, and says why.
  const rangeButton = page.getByRole('button', { name: 'Regenerate the segments in the selection' });
  await expect(rangeButton).toBeDisabled();
  await expect(rangeButton).toHaveAttribute('title', /would be identical/);
  expect(inRange.length).toBeGreaterThan(0);

  // A second performer's render of the same piece, then A/B in the compare view.
  await renderWith(page, 'Performer Prompt B', 'Sampled grand (non-neural)');
  await expect(page.getByLabel('Render progress')).toContainText('Finished', { timeout: 600_000 });
  await page.getByRole('button', { name: 'Compare view' }).click();
  const listening = page.getByText(/^Listening to /);
  await expect(listening).toContainText('A:', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Play comparison' }).click();
  const pause = page.getByRole('button', { name: 'Pause comparison' });
  await expect(pause).toBeVisible();
  // A job event about another render (one started and cancelled here) makes the app refetch the
  // renders list while the comparison plays: playback must go on (it used to stop by itself).
  const { pieceId, performerId } = await bridgeCall<{ pieceId: string; performerId: string }>(page, 'renders.get', {
    id: renderId,
  });
  const other = await bridgeCall<{ renderId: string; jobId: string }>(page, 'renders.start', {
    pieceId,
    performerId,
    engine: 'sampler',
  });
  await bridgeCall(page, 'renders.cancel', { jobId: other.jobId });
  await expect.poll(() => refetchedAfterJob(frames, other.jobId, other.renderId), { timeout: 60_000 }).toBe(true);
  // The playhead (loudness chart, 1000 units wide) must keep moving for 3 s of audio after the refetch.
  const playhead = page.getByRole('img', { name: 'Loudness and velocity curves over time' }).locator('line.playhead');
  const position = async (): Promise<number> => Number(await playhead.getAttribute('x1'));
  const duration = (await bridgeCall<{ mix: { duration: number } }>(page, 'renders.get', { id: renderId })).mix
    .duration;
  const from = await position();
  await expect.poll(position, { timeout: 15_000 }).toBeGreaterThan(from + (3 / duration) * 1000);
  await expect(pause).toBeVisible();
  await page.keyboard.press('b');
  await expect(listening).toContainText('B: Prompt B');
  await page.keyboard.press('a');
  await expect(listening).toContainText('A:');
  await page.keyboard.press('b');
  await expect(page.getByRole('radio', { name: /Listen to B/ })).toHaveAttribute('aria-checked', 'true');
  await shot(page, 'compare');
  await page.getByRole('button', { name: 'Pause comparison' }).click();

  // Export the open render: a 16-bit WAV mix and hand stems, downloaded and measured.
  await page.getByRole('button', { name: 'Studio view' }).click();
  const renders = await bridgeCall<Array<{ id: string; status: string }>>(page, 'renders.list', {});
  const openId = await page.getByLabel('Open render').inputValue();
  const detail = await bridgeCall<{ mix: { duration: number } }>(page, 'renders.get', {
    id: openId || renders[0]!.id,
  });
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByLabel('Format').selectOption({ label: 'WAV 16-bit' });
  await dialog.getByLabel('Sample rate').selectOption({ label: '44.1 kHz' });
  await dialog.getByRole('radio', { name: 'Mix' }).check();
  await dialog.getByRole('button', { name: 'Export files' }).click();
  const files = dialog.getByRole('list', { name: 'Exported files' }).getByRole('link');
  await expect(files).toHaveCount(1, { timeout: 120_000 });
  await shot(page, 'export');
  const mixHref = await files.first().getAttribute('href');
  const mixWav = Buffer.from(await (await page.request.get(mixHref!)).body());
  expect(Math.abs(wavDuration(mixWav) - detail.mix.duration)).toBeLessThan(0.05);

  // Stems come with their mix (and add up to it); the run shows a percentage while it works.
  await dialog.getByRole('radio', { name: 'Stems per hand' }).check();
  await dialog.getByRole('button', { name: 'Export files' }).click();
  await expect(dialog.getByRole('status', { name: 'Export progress' })).toContainText(/\d+ %/);
  await expect(files).toHaveCount(3, { timeout: 120_000 });
  await expect(dialog.getByRole('list', { name: 'Exported files' })).toContainText(/left hand/i);
  await expect(dialog.getByRole('list', { name: 'Exported files' })).toContainText(/LUFS · true peak -\d/);
  for (const href of await files.evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
    const wav = Buffer.from(await (await page.request.get(href!)).body());
    expect(Math.abs(wavDuration(wav) - wavDuration(mixWav))).toBeLessThan(0.001);
  }
  // A stems export cancelled while it runs ends with a plain line and offers no file.
  await dialog.getByRole('radio', { name: 'Stems per track' }).check();
  await dialog.getByRole('button', { name: 'Export files' }).click();
  await dialog.getByRole('button', { name: 'Cancel export' }).click();
  // The export stops at its next stage boundary (a stem being rendered finishes first).
  await expect(dialog.getByRole('alert')).toContainText(/cancelled/, { timeout: 60_000 });
  await expect(dialog.getByRole('list', { name: 'Exported files' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close export' }).click();

  await page.getByRole('button', { name: 'Settings view' }).click();
  await expect(page.getByRole('region', { name: 'Model packs' })).toBeVisible();
  await shot(page, 'settings');
  await page.getByRole('button', { name: 'About view' }).click();
  await expect(page.getByRole('region', { name: 'About' })).toContainText('Salamander Grand Piano V3');
  await shot(page, 'about');

  await page.getByRole('button', { name: 'Studio view' }).click();
  // Takes that differ come from a seeded engine: the same performer with the built-in neural pack, and a
  // second take of segment 2.
  const samplerId = await page.getByLabel('Open render').inputValue();
  await renderWith(page, first, /^Neural: /);
  await expect(page.getByLabel('Open render')).not.toHaveValue(samplerId, { timeout: 60_000 });
  await expect(page.getByLabel('Render progress')).toContainText('Finished', { timeout: 600_000 });
  await expect(waveform).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  const neuralId = await page.getByLabel('Open render').inputValue();
  await page.getByRole('option', { name: /^Segment 2,/ }).click();
  await bridgeCall(page, 'segments.regenerate', { renderId: neuralId, segmentIndices: [1] });
  const takes = page.getByRole('list', { name: 'Take history of segment 2' }).getByRole('listitem');
  await expect(takes).toHaveCount(2, { timeout: 300_000 });
  // Choosing a take rebuilds the mix: the waveform loads the new audio, and the first take brings it back.
  const firstMix = await waveform.getAttribute('data-src');
  await expect(takes.first()).toContainText('chosen');
  await page.getByRole('button', { name: 'Choose take 2' }).click();
  await expect(takes.nth(1)).toContainText('chosen');
  const segment = (
    await bridgeCall<{ segments: Array<{ takes: Array<{ audio: string }> }> }>(page, 'renders.get', { id: neuralId })
  ).segments[1]!;
  if (segment.takes[0]!.audio !== segment.takes[1]!.audio)
    await expect(waveform).not.toHaveAttribute('data-src', firstMix!);
  await page.getByRole('button', { name: 'Choose take 1' }).click();
  await expect(takes.first()).toContainText('chosen');
  await expect(page.getByRole('button', { name: 'Choose take 2' })).toBeEnabled();
  await expect(waveform).toHaveAttribute('data-src', firstMix!);
  await expect(waveform).toHaveAttribute('data-ready', 'true');
  await shot(page, 'segment-takes');
});

test('a neural render with the tiny pack shows progress per segment and can be cancelled', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await expect(page.getByLabel('Note count')).toBeVisible({ timeout: 60_000 });
  // Choosing the pack starts the engine before Render is pressed.
  const engines = page.getByLabel('Render engine');
  const neural = (await engines.locator('option').allTextContents()).find((o) => o.startsWith('Neural: '))!;
  await engines.selectOption({ label: neural });
  await expect(page.getByLabel('Model status')).toHaveText(/model ready \(cpu\)/, { timeout: 60_000 });
  // A 21-minute piece, so the tiny pack cannot finish it before Cancel is pressed, however fast the machine.
  await page.getByLabel('MIDI files to import').setInputFiles(LONG_PIECE);
  await expect(page.getByRole('heading', { name: LONG_PIECE_TITLE })).toBeVisible({ timeout: 60_000 });
  await renderWith(page, 'Performer Prompt A', /^Neural: /);
  const progress = page.getByLabel('Render progress');
  await expect(progress).toContainText(/segment \d+ of \d+/, { timeout: 120_000 });
  await shot(page, 'neural-progress');
  await page.getByRole('button', { name: 'Cancel render' }).click();
  await expect(progress).toContainText('Cancelled', { timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Start render' })).toBeEnabled();
  await shot(page, 'neural-cancelled');
});
