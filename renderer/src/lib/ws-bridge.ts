import type {
  BridgeEventFrame,
  BridgeResponse,
  MethodInput,
  MethodName,
  MethodOutput,
  Result,
  StudioBridge,
  StudioEvent,
} from '../../../electron/contract';
import type { FileData } from '../../../electron/contract/methods/common';
import { BRIDGE_MAX_FRAME_BYTES, BRIDGE_UPLOAD_CHUNK_BYTES } from '../../../electron/contract/bridge-limits';

/** Base64 of bytes, in slices (String.fromCharCode takes a bounded number of arguments). */
function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export interface WebSocketBridge extends StudioBridge {
  /** Sends a picked file as upload chunks (each one frame) and returns the FileData that names it. */
  upload(file: Blob & { name: string }): Promise<FileData>;
}

/** The browser host's side of the contract: the same calls, carried over one WebSocket. */
export function createWebSocketBridge(url: string): WebSocketBridge {
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Set<(event: StudioEvent) => void>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let opening: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    if (socket?.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        opening = undefined;
        resolve(ws);
      };
      ws.onerror = () => {
        opening = undefined;
        reject(new Error('cannot reach the studio host'));
      };
      ws.onclose = () => {
        socket = undefined;
        for (const [, settle] of pending)
          settle({ ok: false, error: { code: 'unavailable', message: 'connection to the studio host closed' } });
        pending.clear();
      };
      ws.onmessage = (message: MessageEvent<string>) => {
        const frame = JSON.parse(message.data) as Partial<BridgeResponse & BridgeEventFrame>;
        if (frame.event) {
          for (const listener of listeners) listener(frame.event);
        } else if (typeof frame.id === 'number' && frame.result) {
          pending.get(frame.id)?.(frame.result);
          pending.delete(frame.id);
        }
      };
    });
    return opening;
  };

  /** Sends one frame and waits for its answer; a frame the host would refuse is not sent at all. */
  const request = async (frame: (id: number) => object): Promise<Result<unknown>> => {
    let ws: WebSocket;
    try {
      ws = await connect();
    } catch (error) {
      return { ok: false, error: { code: 'unavailable', message: (error as Error).message } };
    }
    const id = nextId++;
    const text = JSON.stringify(frame(id));
    if (text.length > BRIDGE_MAX_FRAME_BYTES / 3 && new Blob([text]).size > BRIDGE_MAX_FRAME_BYTES) {
      return {
        ok: false,
        error: {
          code: 'invalid-argument',
          message: 'this request is too large for the browser host; send files as uploads',
        },
      };
    }
    return new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(text);
    });
  };

  return {
    invoke<M extends MethodName>(method: M, args: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
      return request((id) => ({ id, method, args })) as Promise<Result<MethodOutput<M>>>;
    },
    async upload(file) {
      let uploadId: string | undefined;
      // An empty file still makes one (empty) chunk, so the service names the problem.
      for (let offset = 0; offset === 0 || offset < file.size; offset += BRIDGE_UPLOAD_CHUNK_BYTES) {
        const chunk = new Uint8Array(await file.slice(offset, offset + BRIDGE_UPLOAD_CHUNK_BYTES).arrayBuffer());
        const result = await request((id) => ({
          id,
          upload: { uploadId, fileName: file.name, chunkBase64: toBase64(chunk) },
        }));
        if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
        uploadId = (result.value as { uploadId: string }).uploadId;
      }
      return { fileName: file.name, uploadId: uploadId! };
    },
    onEvent(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  };
}
