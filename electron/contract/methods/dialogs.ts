import { z } from 'zod';
import { defineMethod } from '../define';
import { FileData } from './common';

/** What an open-files dialog offers: each kind is one filter of the OS dialog. */
export const DialogFileKind = z.enum(['midi', 'audio']);
export type DialogFileKind = z.infer<typeof DialogFileKind>;

/**
 * What a choose-path dialog picks. These travel as paths, not bytes: an export is written where the
 * user points, and a model pack (hundreds of MB) is installed from where it lies on the host machine.
 */
export const DialogPathKind = z.enum([
  'export-folder',
  'pack-folder',
  'pack-zip',
  'valle-checkpoint',
  'codec-checkpoint',
]);
export type DialogPathKind = z.infer<typeof DialogPathKind>;

// Closing the dialog is an answer, not a failure: the view simply keeps what it had.
const Canceled = z.object({ canceled: z.literal(true) }).strict();

export const DialogFiles = z.discriminatedUnion('canceled', [
  Canceled,
  z.object({ canceled: z.literal(false), files: z.array(FileData).min(1) }).strict(),
]);
export type DialogFiles = z.infer<typeof DialogFiles>;

export const DialogPath = z.discriminatedUnion('canceled', [
  Canceled,
  z.object({ canceled: z.literal(false), path: z.string().min(1) }).strict(),
]);
export type DialogPath = z.infer<typeof DialogPath>;

// Only the Electron host has OS dialogs; elsewhere these answer 'unsupported' and the views use
// file inputs (app.info's `host` tells a view which host it talks to).
export const dialogMethods = {
  'dialogs.openFiles': defineMethod({
    summary: 'Pick MIDI or audio files with the OS dialog (Electron only); their bytes come back.',
    input: z.object({ kind: DialogFileKind, multiple: z.boolean().optional() }).strict(),
    output: DialogFiles,
  }),
  'dialogs.choosePath': defineMethod({
    summary:
      'Pick an export folder, a model pack folder or .zip, or a checkpoint to install, with the OS dialog (Electron only).',
    input: z.object({ kind: DialogPathKind }).strict(),
    output: DialogPath,
  }),
} as const;
