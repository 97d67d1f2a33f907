import { z } from 'zod';

export const Id = z.string().min(1).max(64);

/** The largest file a view may hand over: a long recording fits, a whole disk image does not. */
export const FILE_DATA_MAX_BYTES = 200_000_000;

/** A file the user picked, carried as bytes: the browser host has no paths, and Electron's dialogs give bytes too. */
export const FileData = z
  .object({
    fileName: z.string().min(1).max(255),
    dataBase64: z.string().max(Math.ceil(FILE_DATA_MAX_BYTES / 3) * 4),
  })
  .strict();
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
export const DeviceChoice = z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu']);
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
