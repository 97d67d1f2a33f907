// works.curves: every performance of a work aligned to one reference (its score, else its first
// performance, or one the caller picks), with the per-beat curves on the reference's beat ruler.
// A piece that does not match the reference is listed with its statistics and no curves.
import { StudioFailure } from '../../contract';
import { getPiece, getWork } from '../../library';
import { alignNotes, midiBeats, performanceCurves, roundCurveRow, sampleMap } from '../../midi/align';
import type { Handler } from '../handlers';
import { loadMidiSource } from './align-handlers';

export const worksCurves: Handler<'works.curves'> = (args, ctx) => {
  const lib = ctx.library();
  const work = getWork(lib, args.id);
  const referencePieceId = args.referencePieceId ?? work.scorePieceId ?? work.pieceIds[0];
  if (!referencePieceId) {
    throw new StudioFailure('bad-input', `work ${work.title} has no pieces yet; add performances first`);
  }
  if (
    args.referencePieceId &&
    args.referencePieceId !== work.scorePieceId &&
    !work.pieceIds.includes(args.referencePieceId)
  ) {
    throw new StudioFailure('bad-input', `piece ${args.referencePieceId} is not part of work ${work.title}`);
  }
  const ref = loadMidiSource({ pieceId: referencePieceId }, ctx);
  const refNotes = ref.performance.notes;
  const beats = midiBeats(ref.bytes, ref.name, refNotes[refNotes.length - 1]!.onset);
  const performances = work.pieceIds.map((pieceId) => {
    const perf = loadMidiSource({ pieceId }, ctx);
    const alignment = alignNotes(refNotes, perf.performance.notes);
    const matches = alignment.stats.samePiece;
    return {
      pieceId,
      title: getPiece(lib, pieceId).title,
      stats: alignment.stats,
      map: matches ? sampleMap(alignment, perf.performance.notes) : [],
      curves: matches ? performanceCurves(alignment, refNotes, perf.performance.notes, beats).map(roundCurveRow) : [],
    };
  });
  return {
    referencePieceId,
    referenceKind: referencePieceId === work.scorePieceId ? 'score' : 'performance',
    beats,
    performances,
  };
};
