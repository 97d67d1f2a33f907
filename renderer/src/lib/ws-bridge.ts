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

/** The browser host's side of the contract: the same calls, carried over one WebSocket. */
export function createWebSocketBridge(url: string): StudioBridge {
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

  return {
    async invoke<M extends MethodName>(method: M, args: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
      let ws: WebSocket;
      try {
        ws = await connect();
      } catch (error) {
        return { ok: false, error: { code: 'unavailable', message: (error as Error).message } };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (result: Result<unknown>) => void);
        ws.send(JSON.stringify({ id, method, args }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  };
}
