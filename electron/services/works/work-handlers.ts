// works.create/list/get/addPiece: a work groups pieces (performances) with an optional score piece.
// Files are imported as pieces first (all parsed before any is stored, so one bad file stores nothing).
import type { FileData } from '../../contract/methods/common';
import type { WorkDetail, WorkSummary } from '../../contract/methods/works';
import { addPieceToWork, createWork, getPiece, getWork, listWorks, type Library, type WorkRecord } from '../../library';
import { importMidi } from '../../midi';
import { fileBytes } from '../file-data';
import type { Handler, ServiceContext } from '../handlers';
import { importPiece, pieceSummary as summary } from '../piece-handlers';

function detail(lib: Library, work: WorkRecord): WorkDetail {
  return {
    id: work.id,
    title: work.title,
    composer: work.composer,
    createdAt: new Date(work.createdAt).toISOString(),
    score: work.scorePieceId ? summary(getPiece(lib, work.scorePieceId)) : null,
    pieces: work.pieceIds.map((id) => summary(getPiece(lib, id))),
  };
}

const workSummary = (work: WorkRecord): WorkSummary => ({
  id: work.id,
  title: work.title,
  composer: work.composer,
  hasScore: work.scorePieceId !== null,
  pieceCount: work.pieceIds.length,
  createdAt: new Date(work.createdAt).toISOString(),
});

/** Parses every file (throwing bad-input for the first unusable one), then imports them all. */
function importAll(ctx: ServiceContext, lib: Library, files: readonly FileData[]): string[] {
  const bytes = files.map((f) => {
    const b = fileBytes(f, ctx);
    importMidi(b, f.fileName);
    return b;
  });
  return files.map((f, k) => importPiece(lib, f.fileName, bytes[k]!).id);
}

export const worksCreate: Handler<'works.create'> = (args, ctx) => {
  const lib = ctx.library();
  const imported = importAll(ctx, lib, [...(args.score ? [args.score] : []), ...(args.files ?? [])]);
  const performances = args.score ? imported.slice(1) : imported;
  let work = createWork(lib, { title: args.title, composer: args.composer ?? null });
  if (args.score) work = addPieceToWork(lib, work.id, imported[0]!, 'score');
  for (const id of performances) work = addPieceToWork(lib, work.id, id, 'performance');
  if (imported.length) ctx.events.emit({ type: 'library.changed', what: 'pieces' });
  ctx.events.emit({ type: 'library.changed', what: 'works' });
  return detail(lib, work);
};

export const worksList: Handler<'works.list'> = (_args, ctx) => listWorks(ctx.library()).map(workSummary);

export const worksGet: Handler<'works.get'> = (args, ctx) => detail(ctx.library(), getWork(ctx.library(), args.id));

export const worksAddPiece: Handler<'works.addPiece'> = (args, ctx) => {
  const lib = ctx.library();
  getWork(lib, args.workId); // before importing anything
  const pieceId = 'file' in args.source ? importAll(ctx, lib, [args.source.file])[0]! : args.source.pieceId;
  const work = addPieceToWork(lib, args.workId, pieceId, args.as ?? 'performance');
  if ('file' in args.source) ctx.events.emit({ type: 'library.changed', what: 'pieces' });
  ctx.events.emit({ type: 'library.changed', what: 'works' });
  return detail(lib, work);
};
