import { z } from 'zod';

/** Events flow one way, from the services to every connected view. */
export const JobProgressEvent = z.object({
  type: z.literal('job.progress'),
  jobId: z.string(),
  /** What is being worked on, e.g. "segment 3 of 12". */
  stage: z.string(),
  done: z.number(),
  total: z.number(),
  etaSeconds: z.number().nullable(),
  renderId: z.string().optional(),
  segmentIndex: z.number().int().optional(),
});

export const JobEndedEvent = z.object({
  type: z.literal('job.ended'),
  jobId: z.string(),
  status: z.enum(['done', 'failed', 'cancelled']),
  message: z.string().optional(),
  renderId: z.string().optional(),
});

export const LibraryChangedEvent = z.object({
  type: z.literal('library.changed'),
  what: z.enum(['pieces', 'performers', 'renders', 'takes', 'packs', 'projects', 'works', 'trash']),
});

export const RenderUpdatedEvent = z.object({
  type: z.literal('render.updated'),
  renderId: z.string(),
});

/** Progress of an export, named by the jobId its caller gave `exports.run`. */
export const ExportProgressEvent = z.object({
  type: z.literal('export.progress'),
  jobId: z.string(),
  /** What is being done, e.g. "encoding 2 of 3". */
  stage: z.string(),
  /** 0–100. */
  percent: z.number(),
});

export const StudioEvent = z.discriminatedUnion('type', [
  JobProgressEvent,
  ExportProgressEvent,
  JobEndedEvent,
  LibraryChangedEvent,
  RenderUpdatedEvent,
]);
export type StudioEvent = z.infer<typeof StudioEvent>;
