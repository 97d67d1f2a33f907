import { describe, expect, it } from 'vitest';
import { isOwnPage } from '../../electron/main/security';
import { studioWebPreferences } from '../../electron/main/web-preferences';
import { contentSecurityPolicy } from '../../electron/shared/csp';

describe('Electron renderer sandbox', () => {
  it('isolates the renderer', () => {
    const prefs = studioWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('lets only the studio page load', () => {
    const own = 'file:///app/out/renderer/index.html';
    expect(isOwnPage('file:///app/out/renderer/index.html#/x', own)).toBe(true);
    expect(isOwnPage('https://example.com/', own)).toBe(false);
    expect(isOwnPage('file:///etc/passwd', own)).toBe(false);
    expect(isOwnPage('not a url', own)).toBe(false);
  });

  it('has a strict content security policy', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-eval'/);
    expect(csp).not.toMatch(/https?:/);
  });
});
