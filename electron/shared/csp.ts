/**
 * The one Content-Security-Policy of the studio's pages, for Electron and the browser host alike.
 * 'unsafe-inline' styles only: Svelte writes style attributes; no inline or remote script runs.
 */
export function contentSecurityPolicy(connectSources: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: studio-audio:",
    `connect-src 'self' ${connectSources.join(' ')}`.trim(),
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
