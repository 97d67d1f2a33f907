import { ensureHomeFolder, openLibrary, type Library } from '../library';
import { appEcho, appInfo } from './app-handlers';
import { addDemoContent } from './demo-content';
import { dialogsChoosePath, dialogsOpenFiles } from './dialog-handlers';
import { StudioFailure } from '../contract';
import { createDispatch, type Dispatch } from './dispatch';
import { EventHub } from './events';
import { exportsRun, resolveExportDownload } from './export/export-handlers';
import { exportsCancel } from './export/export-jobs';
import type { HostKind, ServiceContext, StudioHandlers } from './handlers';
import { followLibrary } from './library-follow';
import {
  performersRename,
  piecesRename,
  rendersRemove,
  rendersRename,
  takesRemove,
  trashEmpty,
  trashList,
  trashRestore,
} from './library-manage-handlers';
import { closeEngine } from './neural/engine-session';
import { neuralEngine } from './neural/neural-segment';
import { packsImport, packsList, packsPrepare, packsRemove, packsVerify } from './neural/pack-handlers';
import { packsCancelInstall, packsInstall } from './neural/pack-install';
import {
  performersAdd,
  performersGet,
  performersList,
  performersProfile,
  performersRemove,
} from './performer-handlers';
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
import { RenderJobs } from './render/jobs';
import { samplerEngine } from './render/sampler-segment';
import { libraryCheck, libraryExportBundle, libraryGc, libraryImportBundle, projectsList } from './library-handlers';
import { settingsGet, settingsSet } from './settings-handlers';
import { SettingsStore } from './settings-store';
import { TaskRunner } from './tasks';
import { UploadStore } from './uploads';
import { worksAlign } from './works/align-handlers';
import { worksCurves } from './works/curves-handlers';
import { worksAddPiece, worksCreate, worksGet, worksList } from './works/work-handlers';

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
  /** Announce changes other processes make to the library (default: every host but the CLI). */
  followLibrary?: boolean;
}): Studio {
  ensureHomeFolder(options.home);
  const events = new EventHub();
  let library: Library | undefined;
  const openStudioLibrary = (): Library => {
    if (!library) {
      const opened = openLibrary(options.home);
      // Start-up recovery: jobs a crashed process left running become interrupted, ready to resume.
      jobs.recover(opened);
      try {
        if (options.demoContent !== false) addDemoContent(opened);
      } catch (error) {
        // A full or read-only disk: the demo is added on a later start; reading the library goes on.
        if (!(error instanceof StudioFailure && error.code === 'unavailable')) throw error;
      }
      library = opened;
    }
    return library;
  };
  const ctx: ServiceContext = {
    home: options.home,
    host: options.host,
    events,
    settings: new SettingsStore(options.home),
    tasks: new TaskRunner(events),
    uploads: new UploadStore(options.home),
    library: openStudioLibrary,
    get jobs() {
      return jobs;
    },
  };
  const jobs = new RenderJobs(openStudioLibrary, events, {
    sampler: samplerEngine(openStudioLibrary),
    neural: neuralEngine(ctx),
  });
  // Typed as the whole contract: a method without a handler is a compile error, not a runtime one.
  const handlers: StudioHandlers = {
    'app.info': appInfo,
    'app.echo': appEcho,
    'pieces.import': piecesImport,
    'pieces.list': piecesList,
    'pieces.get': piecesGet,
    'pieces.remove': piecesRemove,
    'pieces.preview': piecesPreview,
    'performers.list': performersList,
    'performers.add': performersAdd,
    'performers.profile': performersProfile,
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
    'pieces.rename': piecesRename,
    'performers.rename': performersRename,
    'renders.rename': rendersRename,
    'renders.remove': rendersRemove,
    'takes.remove': takesRemove,
    'trash.list': trashList,
    'trash.restore': trashRestore,
    'trash.empty': trashEmpty,
    'exports.run': exportsRun,
    'exports.cancel': exportsCancel,
    'packs.list': packsList,
    'packs.import': packsImport,
    'packs.install': packsInstall,
    'packs.cancelInstall': packsCancelInstall,
    'packs.verify': packsVerify,
    'packs.prepare': packsPrepare,
    'packs.remove': packsRemove,
    'settings.get': settingsGet,
    'settings.set': settingsSet,
    'dialogs.openFiles': dialogsOpenFiles,
    'dialogs.choosePath': dialogsChoosePath,
    'library.check': libraryCheck,
    'library.gc': libraryGc,
    'projects.list': projectsList,
    'library.exportBundle': libraryExportBundle,
    'library.importBundle': libraryImportBundle,
    'performers.get': performersGet,
    'works.align': worksAlign,
    'works.create': worksCreate,
    'works.list': worksList,
    'works.get': worksGet,
    'works.addPiece': worksAddPiece,
    'works.curves': worksCurves,
    ...options.hostHandlers,
  };
  const follow = (options.followLibrary ?? options.host !== 'cli') ? followLibrary(() => library, events) : undefined;
  return {
    ctx,
    events,
    dispatch: createDispatch(handlers, ctx),
    resolveBlob: (hash) => ctx.library().blobs.servablePath(hash),
    resolveDownload: (id) => resolveExportDownload(ctx, id),
    async close() {
      follow?.stop();
      await ctx.jobs.cancelAll();
      await ctx.tasks.cancelAll();
      closeEngine(ctx);
      library?.close();
      library = undefined;
      ctx.uploads.close();
    },
  };
}
