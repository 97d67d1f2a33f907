import { z } from 'zod';
import { defineMethod } from '../define';
import { AudioRef, FileData, Id } from './common';

export const PerformerSummary = z.object({
  id: Id,
  name: z.string(),
  tags: z.object({ piano: z.string().optional(), room: z.string().optional(), source: z.string().optional() }),
  demo: z.boolean(),
  licence: z.string().nullable(),
  notes: z.string().nullable(),
  promptDuration: z.number(),
  promptAudio: AudioRef,
  createdAt: z.string(),
  /** Renders that use this performer. */
  renderCount: z.number().int(),
});
export type PerformerSummary = z.infer<typeof PerformerSummary>;

export const PerformerDetail = PerformerSummary.extend({
  prompt: z.object({ format: z.string(), sampleRate: z.number(), channels: z.number().int() }),
  consent: z.object({ kind: z.string(), by: z.string().nullable() }),
});
export type PerformerDetail = z.infer<typeof PerformerDetail>;

export const performerMethods = {
  'performers.list': defineMethod({
    summary: 'All performers (demo performers included).',
    input: z.object({}).strict(),
    output: z.array(PerformerSummary),
  }),
  'performers.get': defineMethod({
    summary: 'One performer with its prompt, licence and consent.',
    input: z.object({ id: Id }).strict(),
    output: PerformerDetail,
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
        licence: z.string().max(200).optional(),
        consent: z.boolean().optional(),
        notes: z.string().max(2000).optional(),
      })
      .strict(),
    output: PerformerSummary,
  }),
  'performers.remove': defineMethod({
    summary: 'Remove a performer (refused while renders use it, unless forced).',
    input: z.object({ id: Id, force: z.boolean().optional() }).strict(),
    output: z.object({ removed: z.boolean(), removedRenders: z.number().int() }),
  }),
} as const;
