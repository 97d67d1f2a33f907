/** Electron IPC channels: one for calls, one for events. Nothing else names a channel. */
export const CHANNELS = {
  invoke: 'studio:invoke',
  event: 'studio:event',
} as const;
