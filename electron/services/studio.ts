import { mkdirSync } from 'node:fs';
import { appEcho, appInfo } from './app-handlers';
import { createDispatch, type Dispatch } from './dispatch';
import { EventHub } from './events';
import type { HostKind, ServiceContext } from './handlers';
import { pendingHandlers } from './pending';

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

/** Builds the services once per process; every host (Electron, browser, CLI) goes through this. */
export function createStudio(options: { home: string; host: HostKind }): Studio {
  mkdirSync(options.home, { recursive: true });
  const events = new EventHub();
  const ctx: ServiceContext = { home: options.home, host: options.host, events };
  const handlers = pendingHandlers({
    'app.info': appInfo,
    'app.echo': appEcho,
  });
  return {
    ctx,
    events,
    dispatch: createDispatch(handlers, ctx),
    resolveBlob: () => undefined,
    resolveDownload: () => undefined,
    async close() {
      // services that hold resources (database, engine host) release them here
    },
  };
}
