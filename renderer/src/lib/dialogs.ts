// How a view asks the user for files and folders: Electron's OS dialogs through the contract, or, in
// the browser host (which has none and answers 'unsupported'), the file inputs it renders instead.
import type { FileData } from '../../../electron/contract/methods/common';
import type { DialogFileKind, DialogPathKind } from '../../../electron/contract/methods/dialogs';
import { call, hostKind } from './api';

/**
 * Only Electron's preload bridge reaches a host with OS dialogs (app.info's `host` says the same);
 * decided when the module loads, so each control renders once, before app.info has answered.
 */
export const osDialogs = hostKind === 'electron';

/** The file inputs' filters, matching the OS dialogs' (the host sniffs the content either way). */
export const FILE_ACCEPT: Record<DialogFileKind, string> = {
  midi: '.mid,.midi,audio/midi,audio/x-midi',
  audio: 'audio/*,.wav,.flac,.mp3,.ogg,.oga',
};

/** The files chosen in the OS dialog, read by the host; undefined when the user cancelled. */
export async function openFilesDialog(kind: DialogFileKind, multiple = false): Promise<FileData[] | undefined> {
  const answer = await call('dialogs.openFiles', { kind, multiple });
  return answer.canceled ? undefined : answer.files;
}

/** A folder or pack .zip path chosen in the OS dialog; undefined when the user cancelled. */
export async function choosePathDialog(kind: DialogPathKind): Promise<string | undefined> {
  const answer = await call('dialogs.choosePath', { kind });
  return answer.canceled ? undefined : answer.path;
}
