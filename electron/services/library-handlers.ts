import { resolve } from 'node:path';
import { StudioFailure } from '../contract';
import {
  checkLibrary,
  collectGarbage,
  exportProjectBundle,
  importProjectBundle,
  listPieces,
  listProjects,
} from '../library';
import type { Handler, ServiceContext } from './handlers';

/** Paths name files of the machine the services run on; a browser host's client must not choose them. */
function hostPath(ctx: ServiceContext, path: string, what: string): string {
  if (ctx.host === 'web')
    throw new StudioFailure('unsupported', `${what} works with files of this computer; use the desktop app or the CLI`);
  return resolve(path);
}

export const libraryCheck: Handler<'library.check'> = (args, ctx) =>
  checkLibrary(ctx.library(), { repair: Boolean(args.repair), verifyHashes: args.verifyHashes ?? true });

export const libraryGc: Handler<'library.gc'> = (args, ctx) =>
  collectGarbage(ctx.library(), {
    dryRun: Boolean(args.dryRun),
    keepTrash: Boolean(args.keepTrash),
    ...(args.graceMinutes !== undefined ? { graceMs: args.graceMinutes * 60_000 } : {}),
  });

export const projectsList: Handler<'projects.list'> = (_args, ctx) => {
  const lib = ctx.library();
  return listProjects(lib).map((p) => ({ id: p.id, name: p.name, pieces: listPieces(lib, p.id).length }));
};

export const libraryExportBundle: Handler<'library.exportBundle'> = (args, ctx) =>
  exportProjectBundle(ctx.library(), args.projectId, hostPath(ctx, args.path, 'Exporting a bundle'));

export const libraryImportBundle: Handler<'library.importBundle'> = (args, ctx) => {
  const result = importProjectBundle(ctx.library(), hostPath(ctx, args.path, 'Importing a bundle'));
  ctx.events.emit({ type: 'library.changed', what: 'projects' });
  return result;
};
