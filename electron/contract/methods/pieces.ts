import { z } from 'zod';
import { defineMethod } from '../define';
import { FileData, Id, PedalMode, Segmenter, TrashItem } from './common';

export const PieceSummary = z.object({
  id: Id,
  title: z.string(),
  fileName: z.string(),
  composer: z.string().nullable(),
  /** Who played it, when the MIDI file says. */
  playedBy: z.string().nullable(),
  duration: z.number(),
  noteCount: z.number().int(),
  trackCount: z.number().int(),
  pedalCount: z.number().int(),
  warnings: z.array(z.string()),
  createdAt: z.string(),
});
export type PieceSummary = z.infer<typeof PieceSummary>;

/** Notes as parallel arrays: compact over the bridge and direct to draw from. */
export const NoteColumns = z.object({
  pitch: z.array(z.number().int()),
  velocity: z.array(z.number().int()),
  onset: z.array(z.number()),
  offset: z.array(z.number()),
  hand: z.array(z.enum(['left', 'right'])),
  track: z.array(z.number().int()),
});
export type NoteColumns = z.infer<typeof NoteColumns>;

export const SegmentInfo = z.object({
  index: z.number().int(),
  start: z.number(),
  end: z.number(),
  noteCount: z.number().int(),
});
export type SegmentInfo = z.infer<typeof SegmentInfo>;

export const PieceDetail = PieceSummary.extend({
  notes: NoteColumns,
  pedals: z.array(z.object({ kind: z.enum(['sustain', 'sostenuto', 'soft']), time: z.number(), value: z.number() })),
  tracks: z.array(z.object({ index: z.number().int(), name: z.string(), noteCount: z.number().int() })),
  segments: z.array(SegmentInfo),
});
export type PieceDetail = z.infer<typeof PieceDetail>;

/** Longest window one preview call renders: a few seconds keep the first sound quick. */
export const PREVIEW_MAX_SECONDS = 20;

export const PiecePreview = z.object({
  /** The window actually rendered: [fromSec, fromSec + durationSec), cut to the piece's end. */
  fromSec: z.number(),
  durationSec: z.number(),
  /** True when the window reaches the end of the piece (nothing sounds after it). */
  last: z.boolean(),
  sampleRate: z.number().int(),
  /** A 16-bit PCM WAV file of exactly the window. */
  wavBase64: z.string(),
  /** Segments (0-based) heard from the render's own takes in this window; the rest is the sampled grand. */
  fromRender: z.array(z.number().int()),
});
export type PiecePreview = z.infer<typeof PiecePreview>;

export const pieceMethods = {
  'pieces.import': defineMethod({
    summary: 'Import a MIDI file (.mid/.midi) as a piece of the library.',
    input: z.object({ file: FileData, title: z.string().max(200).optional() }).strict(),
    /** existing: the library already held this MIDI content, and this is that piece (nothing was added). */
    output: PieceSummary.extend({ existing: z.boolean() }),
  }),
  'pieces.list': defineMethod({
    summary: 'All pieces of the library, newest first.',
    input: z.object({}).strict(),
    output: z.array(PieceSummary),
  }),
  'pieces.get': defineMethod({
    summary: 'One piece with its notes, pedals, tracks and segments.',
    input: z.object({ id: Id, segmenter: Segmenter.optional(), pedal: PedalMode.optional() }).strict(),
    output: PieceDetail,
  }),
  'pieces.preview': defineMethod({
    summary:
      'A window of the piece played by the sampled grand (dry), for listening before or while a render runs; windows played one after another join seamlessly.',
    input: z
      .object({
        pieceId: Id,
        /** Accepted so a view can ask for its performer's preview; the sampled grand has no prompt, and the preview is dry. */
        performerId: Id.optional(),
        /** A render still in progress: its finished segments play their takes, the rest is previewed. */
        renderId: Id.optional(),
        fromSec: z.number().min(0).max(86_400),
        durationSec: z.number().positive().max(PREVIEW_MAX_SECONDS),
      })
      .strict(),
    output: PiecePreview,
  }),
  'pieces.remove': defineMethod({
    summary: 'Move a piece with its renders to the trash (purge: delete for good, for a piece nothing used).',
    input: z.object({ id: Id, purge: z.boolean().optional() }).strict(),
    output: z.object({ removed: z.boolean(), trash: TrashItem.nullable() }),
  }),
} as const;
