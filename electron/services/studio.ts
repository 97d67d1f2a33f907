import { mkdirSync } from 'node:fs';
import { openLibrary, type Library } from '../library';
import { appEcho, appInfo } from './app-handlers';
import { addDemoContent } from './demo-content';
import { dialogsChoosePath, dialogsOpenFiles } from './dialog-handlers';
import { createDispatch, type Dispatch } from './dispatch';
import { EventHub } from './events';
import { exportsRun, resolveExportDownload } from './export/export-handlers';
import type { HostKind, ServiceContext, StudioHandlers } from './handlers';
import { JobManager } from './job-manager';
import { closeEngine } from './neural/engine-session';
import { packsImport, packsList, packsRemove, packsVerify } from './neural/pack-handlers';
import { pendingHandlers } from './pending';
import { performersAdd, performersList, performersRemove } from './performer-handlers';
import { piecesGet, piecesImport, piecesList, piecesRemove } from './piece-handlers';
import { piecesPreview } from './preview-handler';
import {
  rendersAnalysis,
  rendersCancel,
  rendersGet,
  rendersList,
  rendersResume,
  rendersStart,
  segmentsRegenerate,
  takesChoose,
  takesLock,
} from './render/render-handlers';
import { settingsGet, settingsSet } from './settings-handlers';
import { SettingsStore } from './settings-store';

export interface Studio {
  ctx: ServiceContext;
  dispatch: Dispatch;
  events: EventHub;
  /** The file of a library blob (audio served to the views), if the library holds it. */
  resolveBlob(hash: string): string | undefined;
  /** The file of an export offered for download in the browser host. */
  resolveDownload(id: string): string | undefined;
  close(): Promise<void>;
}

/** Methods only a host itself can serve; the services answer them with 'unsupported' unless it does. */
export type HostHandlers = Partial<Pick<StudioHandlers, 'dialogs.openFiles' | 'dialogs.choosePath'>>;

/** Builds the services once per process; every host (Electron, browser, CLI) goes through this. */
export function createStudio(options: {
  home: string;
  host: HostKind;
  demoContent?: boolean;
  hostHandlers?: HostHandlers;
}): Studio {
  mkdirSync(options.home, { recursive: true });
  const events = new EventHub();
  let library: Library | undefined;
  const ctx: ServiceContext = {
    home: options.home,
    host: options.host,
    events,
    jobs: new JobManager(events),
    settings: new SettingsStore(options.home),
    library: () => {
      if (!library) {
        library = openLibrary(options.home);
        if (options.demoContent !== false) addDemoContent(library);
      }
      return library;
    },
  };
  const handlers = pendingHandlers({
    'app.info': appInfo,
    'app.echo': appEcho,
    'pieces.import': piecesImport,
    'pieces.list': piecesList,
    'pieces.get': piecesGet,
    'pieces.remove': piecesRemove,
    'pieces.preview': piecesPreview,
    'performers.list': performersList,
    'performers.add': performersAdd,
    'performers.remove': performersRemove,
    'renders.start': rendersStart,
    'renders.cancel': rendersCancel,
    'renders.list': rendersList,
    'renders.resume': rendersResume,
    'renders.get': rendersGet,
    'renders.analysis': rendersAnalysis,
    'segments.regenerate': segmentsRegenerate,
    'takes.choose': takesChoose,
    'takes.lock': takesLock,
    'exports.run': exportsRun,
    'packs.list': packsList,
    'packs.import': packsImport,
    'packs.verify': packsVerify,
    'packs.remove': packsRemove,
    'settings.get': settingsGet,
    'settings.set': settingsSet,
    'dialogs.openFiles': dialogsOpenFiles,
    'dialogs.choosePath': dialogsChoosePath,
    ...options.hostHandlers,
  });
  return {
    ctx,
    events,
    dispatch: createDispatch(handlers, ctx),
    resolveBlob: (hash) => {
      const lib = ctx.library();
      return lib.blobs.has(hash) ? lib.blobPath(hash) : undefined;
    },
    resolveDownload: (id) => resolveExportDownload(ctx, id),
    async close() {
      await ctx.jobs.cancelAll();
      closeEngine(ctx);
      library?.close();
      library = undefined;
    },
  };
}
