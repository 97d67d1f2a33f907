import type { Page } from '@playwright/test';

/** A contract call from the page itself, over the browser host's bridge socket: facts a test checks the UI against. */
export function bridgeCall<T>(page: Page, method: string, args: unknown): Promise<T> {
  return page.evaluate(
    ([m, a]) =>
      new Promise<T>((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/bridge`);
        ws.onerror = () => reject(new Error('socket failed'));
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: m, args: a }));
        ws.onmessage = (message) => {
          const frame = JSON.parse(message.data as string) as {
            id?: number;
            result?: { ok: boolean; value: T; error?: { message: string } };
          };
          if (frame.id !== 1 || !frame.result) return;
          ws.close();
          if (frame.result.ok) resolve(frame.result.value);
          else reject(new Error(frame.result.error?.message));
        };
      }),
    [method, args] as const,
  );
}
