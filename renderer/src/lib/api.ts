// The only module of the renderer that knows how it reaches the services.
import type { MethodInput, MethodName, MethodOutput, StudioBridge, StudioEvent } from '../../../electron/contract';
import { createWebSocketBridge } from './ws-bridge';

function pickBridge(): StudioBridge {
  if (window.studio) return window.studio;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createWebSocketBridge(`${scheme}://${location.host}/bridge`);
}

const bridge = pickBridge();

export const hostKind: 'electron' | 'web' = window.studio ? 'electron' : 'web';

/** A failed call, carrying the contract's error code for the view to show. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function call<M extends MethodName>(method: M, args: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await bridge.invoke(method, args);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value;
}

/** Raw access for callers that want the error value itself (and for tests of validation). */
export const invokeRaw = (method: string, args: unknown) => bridge.invoke(method as MethodName, args as never);

export const onEvent = (listener: (event: StudioEvent) => void): (() => void) => bridge.onEvent(listener);
