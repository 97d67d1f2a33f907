import { StudioFailure } from '../contract';
import type { Handler, HostKind } from './handlers';

// What to do instead, for a host without OS dialogs; the Electron main process replaces these handlers.
const INSTEAD: Record<HostKind, string> = {
  electron: 'this Electron build wires no OS dialogs',
  web: 'the browser host has no OS dialogs; pick files with the file inputs',
  cli: 'the CLI has no OS dialogs; name the files and folders on the command line',
};

const unsupported = (method: string, host: HostKind): never => {
  throw new StudioFailure('unsupported', `${method}: ${INSTEAD[host]}`);
};

export const dialogsOpenFiles: Handler<'dialogs.openFiles'> = (_args, ctx) =>
  unsupported('dialogs.openFiles', ctx.host);
export const dialogsChoosePath: Handler<'dialogs.choosePath'> = (_args, ctx) =>
  unsupported('dialogs.choosePath', ctx.host);
