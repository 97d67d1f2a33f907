import { ipcMain, type WebContents } from 'electron';
import { CHANNELS } from '../contract/channels';
import { fail } from '../contract';
import type { Studio } from '../services/studio';
import { isOwnPage } from './security';

/** One handler for every contract call; the dispatcher validates the arguments at runtime. */
export function wireIpc(studio: Studio, rendererUrl: string, windows: () => WebContents[]): () => void {
  ipcMain.handle(CHANNELS.invoke, async (event, payload: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isOwnPage(frameUrl, rendererUrl)) return fail('invalid-argument', 'call from a page that is not the studio');
    const { method, args } = (payload ?? {}) as { method?: unknown; args?: unknown };
    return studio.dispatch(method, args);
  });
  const unsubscribe = studio.events.subscribe((studioEvent) => {
    for (const contents of windows()) contents.send(CHANNELS.event, studioEvent);
  });
  return () => {
    ipcMain.removeHandler(CHANNELS.invoke);
    unsubscribe();
  };
}
