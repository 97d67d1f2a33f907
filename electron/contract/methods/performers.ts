import { z } from 'zod';
import { defineMethod } from '../define';
import { AudioRef, FileData, Id, TrashItem } from './common';

export const PerformerSummary = z.object({
  id: Id,
  name: z.string(),
  tags: z.object({ piano: z.string().optional(), room: z.string().optional(), source: z.string().optional() }),
  demo: z.boolean(),
  licence: z.string().nullable(),
  notes: z.string().nullable(),
  promptDuration: z.number(),
  promptAudio: AudioRef,
  /** As given when the performer was added: 'refused' means the performer does not consent. */
  consent: z.object({
    kind: z.enum(['self', 'granted', 'refused', 'public-domain', 'demo']),
    recordedBy: z.string().nullable(),
  }),
  createdAt: z.string(),
});
export type PerformerSummary = z.infer<typeof PerformerSummary>;

export const performerMethods = {
  'performers.list': defineMethod({
    summary: 'All performers (demo performers included).',
    input: z.object({}).strict(),
    output: z.array(PerformerSummary),
  }),
  'performers.add': defineMethod({
    summary: 'Add a performer from a recording and its MIDI; a 3-s window is taken from --start.',
    input: z
      .object({
        name: z.string().min(1).max(100),
        audio: FileData,
        midi: FileData,
        start: z.number().min(0).optional(),
        tags: z
          .object({ piano: z.string().max(100), room: z.string().max(100), source: z.string().max(200) })
          .partial()
          .optional(),
        /** Required: the licence the recording may be used under. */
        licence: z.string().trim().min(1, 'say under which licence the recording may be used').max(200),
        /** Required, explicit: 'self' (I am the performer), 'yes' (the performer consents), 'no' (does not). */
        consent: z.enum(['yes', 'no', 'self']),
        /** Who made the recording. */
        recordedBy: z.string().max(200).optional(),
        notes: z.string().max(2000).optional(),
      })
      .strict(),
    output: PerformerSummary,
  }),
  'performers.remove': defineMethod({
    summary:
      "Move a performer to the trash; refused with 'conflict' naming the renders that use it, unless forced (then they go too).",
    input: z.object({ id: Id, force: z.boolean().optional() }).strict(),
    output: z.object({ removed: z.boolean(), removedRenders: z.number().int(), trash: TrashItem }),
  }),
} as const;
