import { z } from 'zod';
import { defineMethod } from '../define';
import { Id } from './common';

export const MP3_BITRATES = [128, 160, 192, 224, 256, 320] as const;

export const ExportSettings = z
  .object({
    renderId: Id,
    kind: z.enum(['mix', 'stems-hands', 'stems-tracks']),
    format: z.enum(['wav', 'flac', 'mp3']),
    bitDepth: z.union([z.literal(16), z.literal(24), z.literal(32)]).optional(),
    sampleRate: z.union([z.literal(32000), z.literal(44100), z.literal(48000)]),
    /** Target integrated loudness in LUFS; absent = no normalisation. */
    normalize: z.number().min(-40).max(-5).optional(),
    /** True-peak ceiling of the normalised mix in dBTP (default −1); also where a clipping export is attenuated to. */
    truePeakCeiling: z.number().min(-12).max(0).optional(),
    /**
     * What an export that would reach full scale does: `attenuate` (default) lowers every file by one
     * stated amount, `error` refuses naming the peak, `keep` (32-bit float WAV only) keeps the overs.
     */
    onClip: z.enum(['attenuate', 'error', 'keep']).optional(),
    /** MP3 bit rate in kbit/s, constant (default 192 stereo, 128 mono). */
    mp3Kbps: z
      .number()
      .int()
      .refine((n) => (MP3_BITRATES as readonly number[]).includes(n), { message: 'use 128, 160, 192, 224, 256 or 320' })
      .optional(),
    /** A folder on the host machine (Electron, CLI); the browser host offers downloads instead. */
    destination: z.string().max(4096).optional(),
    /** For a mix: the file's name inside `destination` (the CLI's `render --out`); default: piece and performer. */
    fileName: z
      .string()
      .min(1)
      .max(255)
      .refine((name) => !/[\\/]/.test(name) && name !== '.' && name !== '..', 'a file name, not a path')
      .optional(),
    /** A name the caller picks so it can follow `export.progress` events and cancel with `exports.cancel`. */
    jobId: z.string().min(1).max(64).optional(),
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
  /** The delivered mix, or a stem (which, summed with the other stems, is the mix). */
  role: z.enum(['mix', 'stem']),
  duration: z.number(),
  bytes: z.number().int(),
  /** Measured on the written file, decoded again: integrated loudness (LUFS; null when silent). */
  loudness: z.number().nullable(),
  /** Measured on the written file: true peak (dBTP) and sample peak (dBFS); null when silent. */
  truePeak: z.number().nullable(),
  samplePeak: z.number().nullable(),
});

export const ExportReport = z.object({
  exportId: Id,
  files: z.array(ExportedFile),
  /** The gain every file got to stay under full scale (dB, 0 = none); see `notes`. */
  attenuationDb: z.number(),
  /** Whether the true-peak limiter acted on the normalised mix (and so on every stem, identically). */
  limited: z.boolean(),
  /** Plain sentences about what was done to the audio, e.g. why it was attenuated. */
  notes: z.array(z.string()),
});

export const exportMethods = {
  'exports.run': defineMethod({
    summary: 'Export a render as a mix, or as stems with their mix (per hand or per track); progress as export events.',
    input: ExportSettings,
    output: ExportReport,
  }),
  'exports.cancel': defineMethod({
    summary: 'Cancel a running export by the jobId its caller gave; nothing is left under the final names.',
    input: z.object({ jobId: z.string().min(1).max(64) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  }),
} as const;
