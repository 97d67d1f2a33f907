// Tidying the library in the browser host against the real services: a re-import opens the piece
// already there, rename, delete to the trash and undo with Ctrl+Z; deleting a performer that a
// render uses asks first and names the render; changes made by the CLI appear without a reload, and
// what it deleted can be restored from the trash list.
// `library check` (the real CLI, on the same library) is clean after every step.
import { expect, test } from '@playwright/test';
import { bridgeCall } from '../support/e2e-bridge';
import { runCli } from '../support/cli';
import { testdata } from '../support/shared-data';

const TOKEN = 'e2e-session-token';
const PIECE = testdata('asap/Chopin_Etudes_op_10_3_SunMeiting08.mid');
const home = (): string => process.env.E2E_HOME!;

test.use({ actionTimeout: 30_000 });

function expectLibraryClean(): void {
  const run = runCli(['--home', home(), 'library', 'check']);
  expect(run.stdout + run.stderr).toMatch(/^library ok/);
  expect(run.code).toBe(0);
}

test('rename, delete and undo pieces and performers; follow the CLI', async ({ page }) => {
  await page.goto(`/?token=${TOKEN}`);
  const library = page.getByRole('navigation', { name: 'Library' });
  await expect(page.getByRole('banner')).toContainText('MIDI-VALLE Studio');

  // the title comes from the file's own text, not its name
  await page.getByLabel('MIDI files to import').setInputFiles(PIECE);
  const piece = library.getByRole('button', { name: 'Open piece Etude, Opus 10, No. 3' });
  await expect(piece).toBeVisible({ timeout: 60_000 });
  await expect(library).toContainText('played by Mei-Ting Sun');
  // importing it again opens it and says so; no copy
  await page.getByLabel('MIDI files to import').setInputFiles(PIECE);
  await expect(library.getByRole('status').filter({ hasText: 'already in the library' })).toBeVisible();
  await expect(library.getByRole('button', { name: /^Open piece Etude, Opus 10, No\. 3$/ })).toHaveCount(1);
  expectLibraryClean();

  // rename
  await library.getByRole('button', { name: 'Rename piece Etude, Opus 10, No. 3' }).click();
  await library
    .getByRole('textbox', { name: 'New title for Etude, Opus 10, No. 3' })
    .fill('Étude op. 10/3 "Tristesse"');
  await library.getByRole('button', { name: 'Save the new name' }).click();
  const renamed = library.getByRole('button', { name: 'Open piece Étude op. 10/3 "Tristesse"' });
  await expect(renamed).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Étude op. 10/3 "Tristesse"' })).toBeVisible();
  expectLibraryClean();

  // delete, then Ctrl+Z brings it back
  await library.getByRole('button', { name: 'Delete piece Étude op. 10/3 "Tristesse"' }).click();
  await expect(renamed).toHaveCount(0);
  await expect(library.getByLabel('Library notice')).toContainText(
    'Moved piece “Étude op. 10/3 "Tristesse"” to the trash',
  );
  expectLibraryClean();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(renamed).toBeVisible();
  await expect(library.getByLabel('Library notice')).toContainText('Restored piece');
  expectLibraryClean();

  // a performer that a render uses: asked first, naming the render; forced, it goes with it; undone
  const pieces = await bridgeCall<Array<{ id: string; title: string }>>(page, 'pieces.list', {});
  const demoPiece = pieces.find((p) => /BWV 846/.test(p.title))!;
  const performers = await bridgeCall<Array<{ id: string; name: string }>>(page, 'performers.list', {});
  const performer = performers.find((p) => p.name === 'Demo: Small room, lyrical')!;
  const { renderId } = await bridgeCall<{ renderId: string }>(page, 'renders.start', {
    pieceId: demoPiece.id,
    performerId: performer.id,
    engine: 'sampler',
    seed: 5,
  });
  await expect
    .poll(async () => (await bridgeCall<{ status: string }>(page, 'renders.get', { id: renderId })).status, {
      timeout: 120_000,
    })
    .toBe('done');
  await library.getByRole('button', { name: `Delete performer ${performer.name}` }).click();
  const ask = library.getByRole('alertdialog', { name: `Delete performer ${performer.name}?` });
  await expect(ask).toContainText('is used by 1 render(s)');
  await expect(ask).toContainText('J. S. Bach: Prelude in C major, BWV 846');
  await ask.getByRole('button', { name: `Keep performer ${performer.name}` }).click();
  await expect(ask).toHaveCount(0);
  await expect(library).toContainText(performer.name);
  await library.getByRole('button', { name: `Delete performer ${performer.name}` }).click();
  await ask.getByRole('button', { name: `Delete ${performer.name} and the renders that use it` }).click();
  await expect(library.getByRole('button', { name: `Delete performer ${performer.name}` })).toHaveCount(0);
  expect(await bridgeCall<unknown[]>(page, 'renders.list', {})).toEqual([]);
  expectLibraryClean();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(library.getByRole('button', { name: `Delete performer ${performer.name}` })).toBeVisible();
  expect((await bridgeCall<Array<{ id: string }>>(page, 'renders.list', {})).map((r) => r.id)).toEqual([renderId]);
  expectLibraryClean();

  // the CLI renames a piece and deletes another: the open page follows without a reload
  const chopin = pieces.find((p) => p.title.startsWith('Étude'))!;
  expect(runCli(['--home', home(), 'pieces', 'rename', chopin.id, 'Renamed from a terminal']).code).toBe(0);
  await expect(library.getByRole('button', { name: 'Open piece Renamed from a terminal' })).toBeVisible({
    timeout: 5_000,
  });
  expect(runCli(['--home', home(), 'pieces', 'delete', chopin.id]).code).toBe(0);
  await expect(library.getByRole('button', { name: 'Open piece Renamed from a terminal' })).toHaveCount(0, {
    timeout: 5_000,
  });
  expectLibraryClean();

  // what the CLI deleted is in the trash list, and comes back from there
  await library.getByText(/^Trash \(\d+\)$/).click();
  await library.getByRole('button', { name: 'Restore piece Renamed from a terminal' }).click();
  await expect(library.getByRole('button', { name: 'Open piece Renamed from a terminal' })).toBeVisible();
  expectLibraryClean();
});
