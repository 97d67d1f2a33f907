// Runs sandboxed, before the page: exposes the contract's two calls and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS } from '../contract/channels';
import type { StudioBridge, StudioEvent } from '../contract';

const studio: StudioBridge = {
  invoke: (method, args) => ipcRenderer.invoke(CHANNELS.invoke, { method, args }),
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, payload: StudioEvent): void => listener(payload);
    ipcRenderer.on(CHANNELS.event, forward);
    return () => ipcRenderer.removeListener(CHANNELS.event, forward);
  },
};

contextBridge.exposeInMainWorld('studio', studio);
