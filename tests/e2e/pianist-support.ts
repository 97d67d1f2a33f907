// Shared steps of the pianist specs (tests/e2e/pianist-*.spec.ts): open the studio on a real
// performance, read the transport, take screenshots into the test's own output folder.
import { expect, type Page, type TestInfo } from '@playwright/test';
import { testdata } from '../support/shared-data';

export const TOKEN = 'e2e-session-token';
/** A real 2-minute performance (ASAP, CC BY-NC-SA 4.0). */
export const PIECE = testdata('asap/Bach_Fugue_bwv_848_Denisova06M.mid');
export const PIECE_TITLE = 'Bach_Fugue_bwv_848_Denisova06M';
/** A real 21-minute performance (ASAP): about 75 segments, so a render of it is still running
 *  however fast the machine renders the tiny pack's segments. */
export const LONG_PIECE = testdata('asap/Schubert_Wanderer_fantasie_Kolessova02.mid');
export const LONG_PIECE_TITLE = 'Fantasy Wanderer in C Major, Opus 15'; // from the file's own text

export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

/** "1:37.7" → 97.7 */
export function seconds(text: string | null): number {
  const match = /(\d+):(\d+(?:\.\d+)?)/.exec(text ?? '');
  if (!match) throw new Error(`no time in "${text}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export const position = async (page: Page): Promise<number> =>
  seconds(await page.getByLabel('Playback position').textContent());

/** The studio with the test piece open: imported when the library lacks it, else opened from the list. */
export async function openPiece(
  page: Page,
  options: { importIt: boolean; file?: string; title?: string },
): Promise<void> {
  const { file = PIECE, title = PIECE_TITLE } = options;
  await page.goto(`/?token=${TOKEN}`);
  await expect(page.getByRole('banner')).toContainText('MIDI-VALLE Studio');
  if (options.importIt) await page.getByLabel('MIDI files to import').setInputFiles(file);
  else
    await page
      .getByRole('button', { name: `Open piece ${title}` })
      .first()
      .click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel('Note count')).toBeVisible();
}

/** A point on the roll's note area at `fraction` of the plot's width. */
export async function rollPoint(page: Page, fraction: number): Promise<{ x: number; y: number }> {
  const box = (await page
    .getByRole('application', { name: /Piano roll/ })
    .locator('canvas')
    .boundingBox())!;
  const keyboard = 56;
  return { x: box.x + keyboard + (box.width - keyboard) * fraction, y: box.y + box.height * 0.45 };
}
