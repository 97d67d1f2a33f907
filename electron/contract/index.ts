// The one contract between the views and the services. Every transport (Electron IPC, the browser
// host's WebSocket, the CLI) speaks it, and channel names exist only here.
import type { z } from 'zod';
import { appMethods } from './methods/app';
import { dialogMethods } from './methods/dialogs';
import { exportMethods } from './methods/exports';
import { libraryMethods } from './methods/library';
import { libraryManageMethods } from './methods/library-manage';
import { packMethods } from './methods/packs';
import { performerMethods } from './methods/performers';
import { pieceMethods } from './methods/pieces';
import { renderMethods } from './methods/renders';
import { settingsMethods } from './methods/settings';
import { workMethods } from './methods/works';
import type { StudioEvent } from './events';
import type { Result } from './result';

export const studioMethods = {
  ...appMethods,
  ...pieceMethods,
  ...performerMethods,
  ...renderMethods,
  ...libraryManageMethods,
  ...exportMethods,
  ...packMethods,
  ...settingsMethods,
  ...dialogMethods,
  ...libraryMethods,
  ...workMethods,
} as const;

export type StudioMethods = typeof studioMethods;
export type MethodName = keyof StudioMethods;
export type MethodInput<M extends MethodName> = z.input<StudioMethods[M]['input']>;
export type MethodArgs<M extends MethodName> = z.output<StudioMethods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<StudioMethods[M]['output']>;

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.hasOwn(studioMethods, name);

export { CHANNELS } from './channels';

/** The shape a renderer sees, whether it talks through preload or through the browser host. */
export interface StudioBridge {
  invoke<M extends MethodName>(method: M, args: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  onEvent(listener: (event: StudioEvent) => void): () => void;
}

/** The browser host's WebSocket frames. */
export interface BridgeRequest {
  id: number;
  method: string;
  args: unknown;
}
export interface BridgeResponse {
  id: number;
  result: Result<unknown>;
}
export interface BridgeEventFrame {
  event: StudioEvent;
}
/** Query parameter and cookie that carry the browser host's session token. */
export const WEB_TOKEN_PARAM = 'token';
export const WEB_TOKEN_COOKIE = 'midi_valle_token';

export * from './result';
export * from './events';
export * from './bridge-limits';
