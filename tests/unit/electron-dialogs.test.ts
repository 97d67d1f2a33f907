// The Electron main process's OS dialogs, driven through Electron's own `dialog` interface (the binary
// cannot run here, so a recorder stands in for it) and through the same validating dispatcher the
// renderer's IPC calls reach. The files are real files in a temp folder.
import type { BaseWindow, OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dialogHandlers, type DialogApi } from '../../electron/main/dialogs';
import { createStudio } from '../../electron/services/studio';
import { buildMidi } from './midi-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'mv-dialogs-'));
const file = (name: string, bytes: Uint8Array | string): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const midiBytes = buildMidi([{ notes: [{ pitch: 60, on: 0, off: 480 }] }]);
const window = { id: 'focused window' } as unknown as BaseWindow;

/** A stand-in for Electron's dialog module: records each call and answers with the chosen paths. */
function scriptedDialog(answers: OpenDialogReturnValue[]) {
  const calls: Array<{ parent: unknown; options: OpenDialogOptions }> = [];
  const dialog = {
    showOpenDialog: async (first: unknown, second?: OpenDialogOptions) => {
      calls.push(
        second ? { parent: first, options: second } : { parent: undefined, options: first as OpenDialogOptions },
      );
      return answers.shift() ?? { canceled: true, filePaths: [] };
    },
  } as unknown as DialogApi;
  return { dialog, calls };
}

function studioWith(answers: OpenDialogReturnValue[], parent: BaseWindow | null = window) {
  const { dialog, calls } = scriptedDialog(answers);
  const studio = createStudio({
    home: mkdtempSync(join(tmpdir(), 'mv-dialogs-home-')),
    host: 'electron',
    demoContent: false,
    hostHandlers: dialogHandlers(dialog, () => parent),
  });
  return { studio, calls };
}

const picked = (...filePaths: string[]): OpenDialogReturnValue => ({ canceled: false, filePaths });
const decoded = (base64: string): number[] => [...Buffer.from(base64, 'base64')];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dialogs.openFiles in Electron', () => {
  it('shows a multi-select MIDI dialog on the focused window and returns the files as FileData', async () => {
    const a = file('fugue.mid', midiBytes);
    const b = file('prelude.midi', midiBytes);
    const { studio, calls } = studioWith([picked(a, b)]);
    const result = await studio.dispatch('dialogs.openFiles', { kind: 'midi', multiple: true });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.parent).toBe(window);
    expect(calls[0]!.options.filters).toEqual([{ name: 'MIDI files', extensions: ['mid', 'midi'] }]);
    expect(calls[0]!.options.properties).toEqual(['openFile', 'multiSelections']);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.value as { canceled: false; files: Array<{ fileName: string; dataBase64: string }> };
    expect(value.files.map((f) => f.fileName)).toEqual(['fugue.mid', 'prelude.midi']);
    expect(decoded(value.files[0]!.dataBase64)).toEqual([...midiBytes]);

    // The dialog's FileData is exactly what the import takes, as from a file input.
    const piece = await studio.dispatch('pieces.import', { file: value.files[0] });
    expect(piece).toMatchObject({ ok: true, value: { fileName: 'fugue.mid', noteCount: 1 } });
    await studio.close();
  });

  it('offers one audio file with the decoders’ extensions and keeps only one', async () => {
    const take = file('take.wav', 'RIFF....WAVE');
    const { studio, calls } = studioWith([picked(take, file('other.wav', 'x'))]);
    const result = await studio.dispatch('dialogs.openFiles', { kind: 'audio' });
    expect(calls[0]!.options.properties).toEqual(['openFile']);
    expect(calls[0]!.options.filters).toEqual([
      { name: 'Audio recordings', extensions: ['wav', 'flac', 'mp3', 'ogg', 'oga'] },
    ]);
    expect(result).toMatchObject({ ok: true, value: { canceled: false, files: [{ fileName: 'take.wav' }] } });
    await studio.close();
  });

  it('opens a free-standing dialog when no window is open', async () => {
    const { studio, calls } = studioWith([picked(file('solo.mid', midiBytes))], null);
    expect((await studio.dispatch('dialogs.openFiles', { kind: 'midi' })).ok).toBe(true);
    expect(calls[0]!.parent).toBeUndefined();
    await studio.close();
  });

  it('answers a cancelled dialog with { canceled: true }, not an error', async () => {
    const { studio } = studioWith([{ canceled: true, filePaths: [] }]);
    expect(await studio.dispatch('dialogs.openFiles', { kind: 'midi', multiple: true })).toEqual({
      ok: true,
      value: { canceled: true },
    });
    await studio.close();
  });

  it('refuses a file over FileData’s limit before reading it, in one line', async () => {
    const huge = file('huge.wav', '');
    truncateSync(huge, 250_000_000); // sparse: the size is real, the disk is spared
    const { studio } = studioWith([picked(huge)]);
    const result = await studio.dispatch('dialogs.openFiles', { kind: 'audio' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: 'huge.wav is 250.0 MB; files up to 200.0 MB can be opened' },
    });
    await studio.close();
  });

  it('refuses a selection that together exceeds the limit', async () => {
    const each = 120_000_000; // each fits alone, the two together do not
    const a = file('a.mid', '');
    const b = file('b.mid', '');
    truncateSync(a, each);
    truncateSync(b, each);
    const { studio } = studioWith([picked(a, b)]);
    const result = await studio.dispatch('dialogs.openFiles', { kind: 'midi', multiple: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    if (!result.ok) expect(result.error.message).toMatch(/^the 2 files chosen come to 240\.0 MB; pick at most/);
    await studio.close();
  });

  it('names the file that cannot be read and why', async () => {
    const loop = join(dir, 'loop.mid');
    symlinkSync(join(dir, 'loop-back.mid'), loop);
    symlinkSync(loop, join(dir, 'loop-back.mid'));
    const folder = join(dir, 'folder.mid');
    mkdirSync(folder);
    const cases: Array<[string, string]> = [
      [loop, 'cannot read loop.mid: its links point round in a circle'],
      [folder, 'cannot read folder.mid: it is a folder'],
      [join(dir, 'gone.mid'), 'cannot read gone.mid: it no longer exists'],
      [file('empty.mid', ''), 'empty.mid is empty; pick another file'],
    ];
    for (const [path, message] of cases) {
      const { studio } = studioWith([picked(file('fine.mid', midiBytes), path)]);
      const result = await studio.dispatch('dialogs.openFiles', { kind: 'midi', multiple: true });
      expect(result).toEqual({ ok: false, error: { code: 'bad-input', message } });
      await studio.close();
    }
  });

  // Root reads through any permission bits, so this case needs an ordinary user.
  it.skipIf(process.getuid?.() === 0)('reports a file without read permission', async () => {
    const locked = file('locked.mid', midiBytes);
    chmodSync(locked, 0o000);
    const { studio } = studioWith([picked(locked)]);
    expect(await studio.dispatch('dialogs.openFiles', { kind: 'midi' })).toEqual({
      ok: false,
      error: { code: 'bad-input', message: 'cannot read locked.mid: permission denied' },
    });
    await studio.close();
  });

  it('validates the arguments before any dialog shows', async () => {
    const { studio, calls } = studioWith([]);
    for (const args of [{ kind: 'exe' }, { kind: 'midi', multiple: 'yes' }, { kind: 'midi', title: 'x' }]) {
      expect(await studio.dispatch('dialogs.openFiles', args)).toMatchObject({
        ok: false,
        error: { code: 'invalid-argument' },
      });
    }
    expect(calls).toHaveLength(0);
    await studio.close();
  });
});

describe('dialogs.choosePath in Electron', () => {
  it('chooses an export folder, a pack folder or a pack .zip, and returns its path', async () => {
    const { studio, calls } = studioWith([picked(dir), picked(dir), picked(join(dir, 'pack.zip'))]);
    expect(await studio.dispatch('dialogs.choosePath', { kind: 'export-folder' })).toEqual({
      ok: true,
      value: { canceled: false, path: dir },
    });
    expect(calls[0]!.options).toMatchObject({
      title: 'Choose the export folder',
      properties: ['openDirectory', 'createDirectory'],
    });
    await studio.dispatch('dialogs.choosePath', { kind: 'pack-folder' });
    expect(calls[1]!.options.properties).toEqual(['openDirectory']);
    expect(await studio.dispatch('dialogs.choosePath', { kind: 'pack-zip' })).toMatchObject({
      value: { path: join(dir, 'pack.zip') },
    });
    expect(calls[2]!.options).toMatchObject({
      properties: ['openFile'],
      filters: [{ name: 'Model pack archives', extensions: ['zip'] }],
    });
    await studio.close();
  });

  it('answers a cancelled folder dialog with { canceled: true }', async () => {
    const { studio } = studioWith([{ canceled: true, filePaths: [] }]);
    expect(await studio.dispatch('dialogs.choosePath', { kind: 'export-folder' })).toEqual({
      ok: true,
      value: { canceled: true },
    });
    await studio.close();
  });
});
