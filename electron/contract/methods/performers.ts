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
  /** Renders that use this performer. */
  renderCount: z.number().int(),
  /** Set by performers.add when the prompt's MIDI and audio line up poorly (the profile is low-confidence). */
  warning: z.string().optional(),
});
export type PerformerSummary = z.infer<typeof PerformerSummary>;

export const PerformerDetail = PerformerSummary.extend({
  prompt: z.object({ format: z.string(), sampleRate: z.number(), channels: z.number().int() }),
  /** Who gave the consent, where recorded. */
  consentBy: z.string().nullable(),
});
export type PerformerDetail = z.infer<typeof PerformerDetail>;

const Numbers = z.array(z.number());

/** A performer's profile: how the sampled grand is matched to the performer's recording. */
export const PerformerProfileView = z.object({
  performerId: Id,
  /** Identifies the numbers (a hash); part of every matched render's cache key. */
  version: z.string(),
  lowConfidence: z.boolean(),
  tone: z.object({ centres: Numbers, gainsDb: Numbers }),
  room: z.object({ centres: Numbers, decaySeconds: Numbers, wetDb: z.number(), preDelayMs: z.number() }),
  touch: z.object({ velocities: Numbers, gainsDb: Numbers }),
  fit: z.object({
    sampleRate: z.number(),
    fromSeconds: z.number(),
    distanceBeforeDb: z.number(),
    distanceAfterDb: z.number(),
    seconds: z.number(),
  }),
  alignment: z.object({
    score: z.number(),
    lagMs: z.number(),
    lowConfidence: z.boolean(),
    warning: z.string().nullable(),
  }),
});
export type PerformerProfileView = z.infer<typeof PerformerProfileView>;

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
  'performers.profile': defineMethod({
    summary: "A performer's profile for the sampled grand (tone, room, touch); fitted from the prompt on first use.",
    input: z.object({ id: Id }).strict(),
    output: PerformerProfileView,
  }),
  'performers.remove': defineMethod({
    summary:
      "Move a performer to the trash; refused with 'conflict' naming the renders that use it, unless forced (then they go too).",
    input: z.object({ id: Id, force: z.boolean().optional() }).strict(),
    output: z.object({ removed: z.boolean(), removedRenders: z.number().int(), trash: TrashItem }),
  }),
} as const;
