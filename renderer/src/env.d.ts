/// <reference types="svelte" />
import type { StudioBridge } from '../../electron/contract';

declare global {
  interface Window {
    /** Present in Electron (exposed by the preload script); absent in the browser host. */
    studio?: StudioBridge;
  }
}
