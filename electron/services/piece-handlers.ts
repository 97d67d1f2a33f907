import { basename, extname } from 'node:path';
import type { PieceDetail, PieceSummary } from '../contract/methods/pieces';
import {
  addPiece,
  createProject,
  getPiece,
  listPieces,
  listProjects,
  removePiece,
  type Library,
  type PieceRecord,
} from '../library';
import { importMidi, segmentPerformance, withPedal } from '../midi';
import { fileBytes } from './file-data';
import type { Handler } from './handlers';
import { piecePerformance } from './render/plan';

const DEFAULT_PROJECT = 'My pieces';

/** The project new pieces go to: the most recent one, created on first use. */
export function defaultProjectId(lib: Library): string {
  return (listProjects(lib)[0] ?? createProject(lib, DEFAULT_PROJECT)).id;
}

export function summary(piece: PieceRecord): PieceSummary {
  const stats = piece.stats as Partial<{
    duration: number;
    noteCount: number;
    trackCount: number;
    pedalCount: number;
    warnings: string[];
  }>;
  return {
    id: piece.id,
    title: piece.title,
    fileName: piece.midiName ?? piece.title,
    composer: piece.composer,
    duration: stats.duration ?? 0,
    noteCount: stats.noteCount ?? 0,
    trackCount: stats.trackCount ?? 0,
    pedalCount: stats.pedalCount ?? 0,
    warnings: stats.warnings ?? [],
    createdAt: new Date(piece.createdAt).toISOString(),
  };
}

/** Imports MIDI bytes as a piece; the file is validated before anything is stored. */
export function importPiece(lib: Library, fileName: string, bytes: Uint8Array, title?: string): PieceSummary {
  const { performance, stats } = importMidi(bytes, fileName);
  const piece = addPiece(lib, defaultProjectId(lib), {
    title: title?.trim() || basename(fileName, extname(fileName)),
    midi: bytes,
    midiName: basename(fileName),
    stats: {
      duration: performance.duration,
      noteCount: performance.notes.length,
      trackCount: performance.tracks.length,
      pedalCount: performance.pedals.length,
      warnings: performance.warnings,
      format: stats.format,
      droppedOutOfRange: stats.droppedOutOfRange,
      clampedLong: stats.clampedLong,
      droppedDrums: stats.droppedDrums,
    },
  });
  return summary(piece);
}

export const piecesImport: Handler<'pieces.import'> = (args, ctx) => {
  const result = importPiece(ctx.library(), args.file.fileName, fileBytes(args.file, ctx), args.title);
  ctx.events.emit({ type: 'library.changed', what: 'pieces' });
  return result;
};

export const piecesList: Handler<'pieces.list'> = (_args, ctx) => {
  const lib = ctx.library();
  return listProjects(lib)
    .flatMap((project) => listPieces(lib, project.id))
    .sort((a, b) => b.createdAt - a.createdAt)
    .map(summary);
};

export const piecesGet: Handler<'pieces.get'> = (args, ctx): PieceDetail => {
  const lib = ctx.library();
  const piece = getPiece(lib, args.id);
  const performance = piecePerformance(lib, piece);
  const notes = withPedal(performance, args.pedal ?? 'ignore');
  const segments = segmentPerformance(performance, args.segmenter ?? 'musical');
  return {
    ...summary(piece),
    notes: {
      pitch: notes.map((n) => n.pitch),
      velocity: notes.map((n) => n.velocity),
      onset: notes.map((n) => n.onset),
      offset: notes.map((n) => n.offset),
      hand: notes.map((n) => n.hand),
      track: notes.map((n) => n.track),
    },
    pedals: performance.pedals,
    tracks: performance.tracks.map((t) => ({ index: t.index, name: t.name, noteCount: t.noteCount })),
    segments: segments.map((s) => ({ index: s.index, start: s.start, end: s.end, noteCount: s.noteIndices.length })),
  };
};

export const piecesRemove: Handler<'pieces.remove'> = (args, ctx) => {
  removePiece(ctx.library(), args.id);
  ctx.events.emit({ type: 'library.changed', what: 'pieces' });
  return { removed: true };
};
