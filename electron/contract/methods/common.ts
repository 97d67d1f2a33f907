import { z } from 'zod';
import { DEVICE_CHOICES } from '../../shared/devices';

export const Id = z.string().min(1).max(64);

/** The largest file a view may hand over: a long recording fits, a whole disk image does not. */
export const FILE_DATA_MAX_BYTES = 200_000_000;

/** The id the browser host gives a file it received as upload chunks (see contract/bridge-limits.ts). */
export const UploadId = z.string().regex(/^[0-9a-f]{32}$/);

/**
 * A file the user picked, carried as bytes: the browser host has no paths, and Electron's dialogs give
 * bytes too. Small files come inline as base64; the browser host's bridge sends big ones as upload
 * chunks first and names the upload here, so no single WebSocket frame carries a whole recording.
 */
export const FileData = z.union([
  z
    .object({
      fileName: z.string().min(1).max(255),
      dataBase64: z.string().max(Math.ceil(FILE_DATA_MAX_BYTES / 3) * 4),
    })
    .strict(),
  z.object({ fileName: z.string().min(1).max(255), uploadId: UploadId }).strict(),
]);
export type FileData = z.infer<typeof FileData>;

/** A reference to a stored audio blob; the renderer's api module turns it into a URL for its host. */
export const AudioRef = z.string().regex(/^[0-9a-f]{64}$/);

/** Waveform peaks as wavesurfer.js v7 takes them: one min/max pair per point. */
export const Peaks = z.object({
  pointsPerSecond: z.number(),
  min: z.array(z.number()),
  max: z.array(z.number()),
});
export type Peaks = z.infer<typeof Peaks>;

export const Segmenter = z.enum(['musical', 'official']);
export const PedalMode = z.enum(['ignore', 'fold']);
export const DeviceChoice = z.enum(DEVICE_CHOICES);
export const EngineKind = z.enum(['sampler', 'neural']);

/** Something deleted: it stays in the trash (restorable) until the trash is emptied. */
export const TrashItem = z.object({
  id: z.string(),
  kind: z.enum(['piece', 'performer', 'render', 'take']),
  itemId: z.string(),
  label: z.string(),
  /** What went with it, e.g. "2 renders, 7 takes". */
  summary: z.string(),
  deletedAt: z.string(),
});
export type TrashItem = z.infer<typeof TrashItem>;
