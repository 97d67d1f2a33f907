// The Electron main process's guards, exercised through the same event and handler interfaces Electron
// calls (the Electron binary cannot run here, so its objects are stood in for by recorders).
import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { hardenContents, hardenSession } from '../../electron/main/security';

const OWN = 'file:///app/out/renderer/index.html';

function recordingContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on(name: string, listener: (event: { preventDefault(): void }, url?: string) => void) {
      listeners.set(name, listener);
      return contents;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      openHandler = handler;
    },
  };
  const fire = (name: string, url?: string): boolean => {
    let prevented = false;
    listeners.get(name)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents: contents as unknown as WebContents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('Electron window guards', () => {
  it('blocks navigation and redirects away from the studio page, and every webview', () => {
    const { contents, fire } = recordingContents();
    hardenContents(contents, OWN);
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', `${OWN}#/settings`)).toBe(false);
    expect(fire('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window', () => {
    const { contents, open } = recordingContents();
    hardenContents(contents, OWN);
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open(OWN)).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    let device: (() => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
      setDevicePermissionHandler: (h: typeof device) => (device = h),
    } as unknown as Session;
    hardenSession(session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      request?.(undefined, permission, (g) => (granted = g));
      expect(granted).toBe(false);
    }
    expect(check?.()).toBe(false);
    expect(device?.()).toBe(false);
  });
});
