// The only module of the renderer that knows how it reaches the services.
import type { MethodInput, MethodName, MethodOutput, StudioBridge, StudioEvent } from '../../../electron/contract';
import type { FileData } from '../../../electron/contract/methods/common';
import { explainJargon } from './glossary';
import { createWebSocketBridge, type WebSocketBridge } from './ws-bridge';

function pickBridge(): StudioBridge & { upload?: WebSocketBridge['upload'] } {
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

/** Where the player fetches a stored audio blob: a Range-capable route of the host. */
export function audioUrl(ref: string): string {
  return hostKind === 'electron' ? `studio-audio://blob/${ref}` : `/audio/${ref}`;
}

/** An exported file's download address (browser host only; Electron writes to a folder). */
export const downloadUrl = (download: string): string =>
  `/downloads/${download.split('/').map(encodeURIComponent).join('/')}`;

/** A file the user gave: a `File` from a file input or a drop, or one an OS dialog has already read. */
export type PickedFile = File | FileData;

export const pickedName = (file: PickedFile): string => (file instanceof File ? file.name : file.fileName);

/**
 * Turns a picked or dropped file into the contract's FileData: on the browser host it goes up in
 * chunks (a 150 MB recording is many frames, not one), in Electron it is read inline as base64.
 */
export async function readFileData(file: PickedFile): Promise<FileData> {
  if (!(file instanceof File)) return file;
  if (bridge.upload) {
    try {
      return await bridge.upload(file);
    } catch (error) {
      throw new ApiError((error as { code?: string }).code ?? 'runtime', (error as Error).message);
    }
  }
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(new Error(`cannot read ${file.name}`));
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ fileName: file.name, dataBase64: url.slice(url.indexOf(',') + 1) });
    };
    reader.readAsDataURL(file);
  });
}

/** One line for the view: the contract's message, never a stack. */
export const errorText = (error: unknown): string =>
  explainJargon(
    error instanceof ApiError
      ? error.code === 'unavailable'
        ? `Not available yet: ${error.message}`
        : error.code === 'invalid-argument'
          ? // The dispatcher names the method first, for logs; people need only the field and its range.
            error.message.replace(/^[a-z]+\.[A-Za-z]+: /, '')
          : error.message
      : error instanceof Error
        ? error.message
        : String(error),
  );
