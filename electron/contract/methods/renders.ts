import { z } from 'zod';
import { defineMethod } from '../define';
import { AudioRef, DeviceChoice, EngineKind, Id, PedalMode, Peaks, Segmenter } from './common';

export const Sampling = z
  .object({
    temperature: z.number().positive().max(5).optional(),
    topK: z.number().int().positive().max(2048).optional(),
    topP: z.number().positive().max(1).optional(),
  })
  .strict();

export const RenderStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted']);

export const TakeSummary = z.object({
  id: Id,
  segmentIndex: z.number().int(),
  /** The seed of the job that made the take. */
  seed: z.number().int(),
  /** The seed this segment was generated with (derived from `seed`); null for the sampled grand. */
  segmentSeed: z.number().int().nullable(),
  createdAt: z.string(),
  chosen: z.boolean(),
  locked: z.boolean(),
  duration: z.number(),
  loudness: z.number().nullable(),
  audio: AudioRef,
});
export type TakeSummary = z.infer<typeof TakeSummary>;

export const RenderSummary = z.object({
  id: Id,
  /** The name the user gave it, or null. */
  name: z.string().nullable(),
  pieceId: Id,
  pieceTitle: z.string(),
  performerId: Id,
  performerName: z.string(),
  engine: EngineKind,
  engineLabel: z.string(),
  packId: z.string().nullable(),
  provider: z.string().nullable(),
  seed: z.number().int(),
  status: RenderStatus,
  jobId: z.string().nullable(),
  createdAt: z.string(),
  error: z.string().nullable(),
  segmentCount: z.number().int(),
  /** Segments that have a take (the rest are still to render). */
  segmentsDone: z.number().int(),
  /** The sampling settings the render was started with (empty: the engine's defaults). */
  sampling: Sampling.optional(),
});
export type RenderSummary = z.infer<typeof RenderSummary>;

export const RenderDetail = RenderSummary.extend({
  segments: z.array(
    z.object({
      index: z.number().int(),
      /** The segment as people count: index + 1. */
      number: z.number().int(),
      start: z.number(),
      end: z.number(),
      noteCount: z.number().int(),
      status: z.enum(['pending', 'running', 'done', 'failed']),
      takes: z.array(TakeSummary),
    }),
  ),
  /** The assembled render from the chosen takes; null until every segment has one. */
  mix: z
    .object({ audio: AudioRef, duration: z.number(), sampleRate: z.number(), loudness: z.number(), peaks: Peaks })
    .nullable(),
});
export type RenderDetail = z.infer<typeof RenderDetail>;

export const renderMethods = {
  'renders.start': defineMethod({
    summary: 'Render a piece with a performer; progress arrives as job events.',
    input: z
      .object({
        pieceId: Id,
        performerId: Id,
        engine: EngineKind,
        packId: z.string().max(200).optional(),
        seed: z.number().int().min(0).max(0xffffffff).optional(),
        sampling: Sampling.optional(),
        segmenter: Segmenter.optional(),
        pedal: PedalMode.optional(),
        device: DeviceChoice.optional(),
        /** Segments generated together by the neural engine (more is faster per segment, up to memory). */
        batch: z.number().int().min(1).max(16).optional(),
        /** Sampled grand only: false plays the plain grand instead of the performer's matched profile. */
        match: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ renderId: Id, jobId: z.string() }),
  }),
  'renders.cancel': defineMethod({
    summary: 'Cancel a running render or regeneration job.',
    input: z.object({ jobId: z.string().min(1).max(64) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'renders.resume': defineMethod({
    summary: 'Finish a render that a crash, a kill or a cancel left incomplete.',
    input: z.object({ id: Id }).strict(),
    output: z.object({ jobIds: z.array(z.string()) }),
  }),
  'renders.list': defineMethod({
    summary: 'Renders, newest first, optionally of one piece or one project.',
    input: z.object({ pieceId: Id.optional(), projectId: Id.optional() }).strict(),
    output: z.array(RenderSummary),
  }),
  'renders.get': defineMethod({
    summary: 'One render with its segments, takes and mix.',
    input: z.object({ id: Id }).strict(),
    output: RenderDetail,
  }),
  'segments.regenerate': defineMethod({
    summary: 'Render new takes of some segments, with a new or given seed; locked segments are refused (or skipped).',
    input: z
      .object({
        renderId: Id,
        segmentIndices: z.array(z.number().int().min(0)).min(1).max(1000),
        seed: z.number().int().min(0).max(0xffffffff).optional(),
        /** For a range: leave locked segments out (they are reported in `skipped`) instead of refusing. */
        skipLocked: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ jobId: z.string(), skipped: z.array(z.number().int()) }),
  }),
  'takes.choose': defineMethod({
    summary: "Make a take its segment's chosen one; the mix is rebuilt.",
    input: z.object({ takeId: Id }).strict(),
    output: RenderDetail,
  }),
  'takes.lock': defineMethod({
    summary: 'Lock a take (it becomes the chosen one and stays: its segment is not regenerated) or unlock it.',
    input: z.object({ takeId: Id, locked: z.boolean() }).strict(),
    output: z.object({ locked: z.boolean() }),
  }),
  'renders.analysis': defineMethod({
    summary: 'Loudness curve and integrated loudness of a render, for comparison views.',
    input: z.object({ id: Id }).strict(),
    output: z.object({
      integrated: z.number(),
      truePeak: z.number(),
      curve: z.object({ hop: z.number(), lufs: z.array(z.number()) }),
    }),
  }),
} as const;
