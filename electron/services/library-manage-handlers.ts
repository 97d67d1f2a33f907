import {
  emptyTrash,
  getPiece,
  listPerformers,
  listTrash,
  renamePerformer,
  renamePiece,
  renameRender,
  restoreTrash,
  trashRender,
  trashTake,
  type TrashEntry,
} from '../library';
import type { Handler, ServiceContext } from './handlers';
import { trashItem } from './trash-item';
import { performerSummary } from './performer-handlers';
import { pieceSummary } from './piece-handlers';
import { renderDetail, renderSummary } from './render/render-view';

/** Which lists a change to an item of this kind touches (pieces and performers carry renders along). */
function announce(ctx: ServiceContext, kind: TrashEntry['kind']): void {
  const lists = {
    piece: ['pieces', 'renders'],
    performer: ['performers', 'renders'],
    render: ['renders'],
    take: ['takes'],
  } as const;
  for (const what of lists[kind]) ctx.events.emit({ type: 'library.changed', what });
  ctx.events.emit({ type: 'library.changed', what: 'trash' });
}

export const piecesRename: Handler<'pieces.rename'> = (args, ctx) => {
  const lib = ctx.library();
  const piece = renamePiece(lib, args.id, {
    title: args.title,
    ...(args.composer !== undefined ? { composer: args.composer } : {}),
  });
  ctx.events.emit({ type: 'library.changed', what: 'pieces' });
  ctx.events.emit({ type: 'library.changed', what: 'renders' }); // render lists show the piece title
  return pieceSummary(getPiece(lib, piece.id));
};

export const performersRename: Handler<'performers.rename'> = (args, ctx) => {
  const performer = renamePerformer(ctx.library(), args.id, args.name);
  ctx.events.emit({ type: 'library.changed', what: 'performers' });
  ctx.events.emit({ type: 'library.changed', what: 'renders' });
  const renders = listPerformers(ctx.library()).find((p) => p.id === performer.id)?.renderCount ?? 0;
  return performerSummary(performer, renders);
};

export const rendersRename: Handler<'renders.rename'> = (args, ctx) => {
  const lib = ctx.library();
  const render = renameRender(lib, args.id, args.name);
  ctx.events.emit({ type: 'library.changed', what: 'renders' });
  return renderSummary(lib, render);
};

export const rendersRemove: Handler<'renders.remove'> = (args, ctx) => {
  const entry = trashRender(ctx.library(), args.id, { force: args.force });
  announce(ctx, 'render');
  return { removed: true, trash: trashItem(entry) };
};

/** The chosen take may change: the mix is rebuilt through renderDetail, as takes.choose does. */
export const takesRemove: Handler<'takes.remove'> = async (args, ctx) => {
  const result = trashTake(ctx.library(), args.takeId);
  announce(ctx, 'take');
  ctx.events.emit({ type: 'render.updated', renderId: result.renderId });
  return {
    trash: trashItem(result),
    chosenTakeId: result.chosenTakeId,
    render: await renderDetail(ctx, result.renderId),
  };
};

export const trashList: Handler<'trash.list'> = (_args, ctx) => listTrash(ctx.library()).map(trashItem);

export const trashRestore: Handler<'trash.restore'> = (args, ctx) => {
  const restored = restoreTrash(ctx.library(), args.id);
  announce(ctx, restored.kind);
  if (restored.renderId) ctx.events.emit({ type: 'render.updated', renderId: restored.renderId });
  return { ...trashItem(restored), renderId: restored.renderId };
};

export const trashEmpty: Handler<'trash.empty'> = (args, ctx) => {
  const result = emptyTrash(ctx.library(), args.id);
  ctx.events.emit({ type: 'library.changed', what: 'trash' });
  return result;
};
