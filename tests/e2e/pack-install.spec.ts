// Settings → "Install MIDI-VALLE model…" with tiny random checkpoints in the official file forms: the licence must be
// accepted before Install is enabled, a swapped file is refused with its one-line reason, and the two right files
// become an installed pack in the list (removed again at the end, so the shared e2e library stays as it was).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const TOKEN = 'e2e-session-token';
const PYTHON = process.env.MIDI_VALLE_PYTHON ?? '/usr/bin/python3';
const ck = mkdtempSync(join(tmpdir(), 'mv-e2e-ckpt-'));
const made = spawnSync(
  PYTHON,
  ['native-models/make_test_checkpoints.py', '--dims', 'tiny', '--seed', '2', '--out', ck],
  { encoding: 'utf8' },
);

test('Settings installs the MIDI-VALLE model from the two checkpoint files', async ({ page }) => {
  test.skip(made.status !== 0, `${PYTHON} could not write test checkpoints: ${made.stderr}`);
  await page.goto(`/?token=${TOKEN}`);
  await page.getByRole('button', { name: 'Settings view' }).click();
  await page.getByRole('button', { name: 'Install MIDI-VALLE model…' }).click();
  const form = page.getByRole('form', { name: 'Install the MIDI-VALLE model' });
  await expect(form.getByRole('group', { name: 'Licence of the official weights' })).toContainText('CC BY-NC-SA 4.0');

  // The codec given in place of the MIDI-VALLE checkpoint: refused with the reason, nothing installed.
  await form.getByLabel('Path of the MIDI-VALLE checkpoint').fill(join(ck, 'codec-audiocraft.bin'));
  await form.getByLabel('Path of the Piano-Encodec checkpoint').fill(join(ck, 'codec-audiocraft.bin'));
  const install = form.getByRole('button', { name: 'Install', exact: true });
  await expect(install).toBeDisabled(); // licence not accepted yet
  await form.getByRole('checkbox', { name: /I accept the CC BY-NC-SA 4.0 licence/ }).check();
  await expect(install).toBeEnabled();
  await install.click();
  await expect(form).toContainText(/not a MIDI-VALLE checkpoint.*looks like the Piano-Encodec checkpoint/);

  // The right files: int8, installed and listed.
  await form.getByLabel('Path of the MIDI-VALLE checkpoint').fill(join(ck, 'valle-trainer.pt'));
  await form.getByLabel('Precision of the installed model').selectOption('int8');
  await install.click();
  await expect(form.getByRole('status')).toContainText('Installed MIDI-VALLE (official weights) (fp32/int8', {
    timeout: 60_000,
  });
  const packs = page.getByRole('region', { name: 'Model packs' });
  await expect(packs).toContainText('midi-valle-official');
  await expect(packs).toContainText('Licence: CC BY-NC-SA 4.0');

  await page.getByRole('button', { name: 'Remove pack MIDI-VALLE (official weights)' }).click();
  await expect(packs).not.toContainText('midi-valle-official');
});
