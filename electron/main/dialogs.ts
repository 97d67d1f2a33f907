// The contract's OS dialogs, served by Electron's `dialog` module. Electron's objects come in as
// arguments so tests can drive these handlers through the same interface without the binary.
import type { BaseWindow, Dialog, FileFilter, OpenDialogOptions } from 'electron';
import type { DialogFileKind, DialogPathKind } from '../contract/methods/dialogs';
import type { Handler } from '../services/handlers';
import type { HostHandlers } from '../services/studio';
import { readPickedFiles } from './picked-files';

// The extensions the MIDI reader and the audio decoders take (they sniff content; names only filter).
export const FILE_FILTERS: Record<DialogFileKind, FileFilter> = {
  midi: { name: 'MIDI files', extensions: ['mid', 'midi'] },
  audio: { name: 'Audio recordings', extensions: ['wav', 'flac', 'mp3', 'ogg', 'oga'] },
};

const FILE_TITLES: Record<DialogFileKind, { one: string; many: string }> = {
  midi: { one: 'Choose a MIDI file', many: 'Import MIDI files' },
  audio: { one: 'Choose a recording', many: 'Choose recordings' },
};

export const PATH_OPTIONS: Record<DialogPathKind, OpenDialogOptions> = {
  'export-folder': {
    title: 'Choose the export folder',
    buttonLabel: 'Export here',
    properties: ['openDirectory', 'createDirectory'],
  },
  'pack-folder': { title: 'Choose a model pack folder', properties: ['openDirectory'] },
  'pack-zip': {
    title: 'Choose a model pack .zip',
    properties: ['openFile'],
    filters: [{ name: 'Model pack archives', extensions: ['zip'] }],
  },
  'valle-checkpoint': {
    title: 'Choose the MIDI-VALLE checkpoint (best-valid-loss.pt)',
    properties: ['openFile'],
    filters: [{ name: 'PyTorch checkpoints', extensions: ['pt', 'pth', 'bin'] }],
  },
  'codec-checkpoint': {
    title: 'Choose the Piano-Encodec checkpoint (compression_32khz_new.bin)',
    properties: ['openFile'],
    filters: [{ name: 'PyTorch checkpoints', extensions: ['bin', 'pt', 'pth'] }],
  },
};

/** Electron's dialog module, or a stand-in with the same call. */
export type DialogApi = Pick<Dialog, 'showOpenDialog'>;

export function dialogHandlers(dialog: DialogApi, parentWindow: () => BaseWindow | null | undefined): HostHandlers {
  // Modal to the window the user is working in; with no window (all minimised), a free-standing dialog.
  const show = (options: OpenDialogOptions) => {
    const parent = parentWindow();
    return parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options);
  };

  const openFiles: Handler<'dialogs.openFiles'> = async ({ kind, multiple }) => {
    const answer = await show({
      title: FILE_TITLES[kind][multiple ? 'many' : 'one'],
      filters: [FILE_FILTERS[kind]],
      properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
    });
    const paths = multiple ? answer.filePaths : answer.filePaths.slice(0, 1);
    if (answer.canceled || paths.length === 0) return { canceled: true };
    return { canceled: false, files: await readPickedFiles(paths) };
  };

  const choosePath: Handler<'dialogs.choosePath'> = async ({ kind }) => {
    const answer = await show(PATH_OPTIONS[kind]);
    const path = answer.filePaths[0];
    return answer.canceled || !path ? { canceled: true } : { canceled: false, path };
  };

  return { 'dialogs.openFiles': openFiles, 'dialogs.choosePath': choosePath };
}
