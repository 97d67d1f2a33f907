import { z } from 'zod';
import { defineMethod } from '../define';
import { Id } from './common';

export const ExportSettings = z
  .object({
    renderId: Id,
    kind: z.enum(['mix', 'stems-hands', 'stems-tracks']),
    format: z.enum(['wav', 'flac', 'mp3']),
    bitDepth: z.union([z.literal(16), z.literal(24), z.literal(32)]).optional(),
    sampleRate: z.union([z.literal(32000), z.literal(44100), z.literal(48000)]),
    /** Target integrated loudness in LUFS; absent = no normalisation. */
    normalize: z.number().min(-40).max(-5).optional(),
    /** A folder on the host machine (Electron, CLI); the browser host offers downloads instead. */
    destination: z.string().max(4096).optional(),
    /** For a mix: the file's name inside `destination` (the CLI's `render --out`); default: piece and performer. */
    fileName: z
      .string()
      .min(1)
      .max(255)
      .refine((name) => !/[\\/]/.test(name) && name !== '.' && name !== '..', 'a file name, not a path')
      .optional(),
  })
  .strict()
  .refine((s) => s.fileName === undefined || s.kind === 'mix', {
    message: 'fileName names a mix; stems are named by their part',
    path: ['fileName'],
  });
export type ExportSettings = z.infer<typeof ExportSettings>;

export const ExportedFile = z.object({
  name: z.string(),
  path: z.string().nullable(),
  /** A download reference for the browser host. */
  download: z.string().nullable(),
  duration: z.number(),
  bytes: z.number().int(),
});

export const exportMethods = {
  'exports.run': defineMethod({
    summary: 'Export a render as a mix or stems (per hand or per track).',
    input: ExportSettings,
    output: z.object({ exportId: Id, files: z.array(ExportedFile) }),
  }),
} as const;
