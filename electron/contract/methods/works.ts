import { z } from 'zod';
import { defineMethod } from '../define';
import { FileData, Id } from './common';
import { PieceSummary } from './pieces';

/** A MIDI file to align: bytes the user picked, or a piece of the library. */
export const MidiSource = z.union([z.object({ file: FileData }).strict(), z.object({ pieceId: Id }).strict()]);
export type MidiSource = z.infer<typeof MidiSource>;

export const AlignStatsSchema = z.object({
  refNotes: z.number().int(),
  perfNotes: z.number().int(),
  matchedNotes: z.number().int(),
  refMatchedRatio: z.number(),
  perfMatchedRatio: z.number(),
  pathCost: z.number(),
  longestRefGap: z.number(),
  longestPerfGap: z.number(),
  anchors: z.number().int(),
  samePiece: z.boolean(),
});

/** One beat of the reference with the performance's tempo, dynamics and hand asynchrony there. */
export const CurveRowSchema = z.object({
  beat: z.number().int(),
  bar: z.number().int(),
  beatInBar: z.number().int(),
  refTime: z.number(),
  perfTime: z.number(),
  bpm: z.number().nullable(),
  refBpm: z.number().nullable(),
  velocity: z.number().nullable(),
  notes: z.number().int(),
  asynchronyMs: z.number().nullable(),
});

export const AlignResult = z.object({
  /** [performance seconds, reference seconds], non-decreasing, at every matched chord and at least every 0.5 s. */
  map: z.array(z.tuple([z.number(), z.number()])),
  stats: AlignStatsSchema,
  /** Per beat of the reference, when asked for. */
  curves: z.array(CurveRowSchema).optional(),
  /** Where the beats came from: the reference MIDI's bars and beats, or a beat list. */
  beatSource: z.enum(['reference-midi', 'beat-list']).optional(),
});
export type AlignResult = z.infer<typeof AlignResult>;

export const WorkSummary = z.object({
  id: Id,
  title: z.string(),
  composer: z.string().nullable(),
  hasScore: z.boolean(),
  pieceCount: z.number().int(),
  createdAt: z.string(),
});
export type WorkSummary = z.infer<typeof WorkSummary>;

export const WorkDetail = z.object({
  id: Id,
  title: z.string(),
  composer: z.string().nullable(),
  createdAt: z.string(),
  /** The score (a deadpan MIDI) when the work has one: the reference its performances align to. */
  score: PieceSummary.nullable(),
  /** The performances, in the order they were added. */
  pieces: z.array(PieceSummary),
});
export type WorkDetail = z.infer<typeof WorkDetail>;

export const WorkCurves = z.object({
  /** The piece every performance is aligned to: the score when the work has one. */
  referencePieceId: Id,
  referenceKind: z.enum(['score', 'performance']),
  /** The reference's beats (from its MIDI bars and beats), the shared ruler of all curves. */
  beats: z.object({
    times: z.array(z.number()),
    bars: z.array(z.number().int()),
    beatInBar: z.array(z.number().int()),
  }),
  performances: z.array(
    z.object({
      pieceId: Id,
      title: z.string(),
      stats: AlignStatsSchema,
      /** [performance seconds, reference seconds]; empty when the piece does not match the reference. */
      map: z.array(z.tuple([z.number(), z.number()])),
      /** One row per reference beat; empty when the piece does not match the reference. */
      curves: z.array(CurveRowSchema),
    }),
  ),
});
export type WorkCurves = z.infer<typeof WorkCurves>;

export const workMethods = {
  'works.create': defineMethod({
    summary: 'Create a work from several performance MIDI files at once, with an optional score MIDI.',
    input: z
      .object({
        title: z.string().min(1).max(200),
        composer: z.string().max(200).optional(),
        files: z.array(FileData).max(100).optional(),
        score: FileData.optional(),
      })
      .strict(),
    output: WorkDetail,
  }),
  'works.list': defineMethod({
    summary: 'All works, newest first.',
    input: z.object({}).strict(),
    output: z.array(WorkSummary),
  }),
  'works.get': defineMethod({
    summary: 'One work with its score and performances.',
    input: z.object({ id: Id }).strict(),
    output: WorkDetail,
  }),
  'works.curves': defineMethod({
    summary:
      'Align every performance of a work to its score (or a chosen performance) and give tempo, dynamics and asynchrony per beat.',
    input: z.object({ id: Id, referencePieceId: Id.optional() }).strict(),
    output: WorkCurves,
  }),
  'works.addPiece': defineMethod({
    summary: 'Add a performance (a MIDI file or a piece of the library) to a work, or set its score.',
    input: z.object({ workId: Id, source: MidiSource, as: z.enum(['performance', 'score']).optional() }).strict(),
    output: WorkDetail,
  }),
  'works.align': defineMethod({
    summary:
      'Align a performance to a reference (a score or another performance of the same work): a monotone time map and match statistics.',
    input: z
      .object({
        perf: MidiSource,
        ref: MidiSource,
        /** Align even when the files do not look like the same piece. */
        force: z.boolean().optional(),
        /** Also compute the tempo, dynamics and asynchrony curves per beat of the reference. */
        curves: z.boolean().optional(),
        /** The reference's beats as text (a time in seconds a line; "db" marks downbeats, as ASAP's annotations). */
        beats: FileData.optional(),
      })
      .strict(),
    output: AlignResult,
  }),
} as const;
