import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { contentSecurityPolicy } from '../electron/shared/csp';

/** The same CSP as the browser host's header, as a meta tag for Electron's file:// pages. */
const cspMeta = (): Plugin => ({
  name: 'studio-csp-meta',
  transformIndexHtml: (html) =>
    html.replace('<!-- csp -->', `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}" />`),
});

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte(), cspMeta()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // harness.html: the piano roll and waveform on generated data, for the UI bench (not a studio view).
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        harness: fileURLToPath(new URL('./harness.html', import.meta.url)),
      },
    },
  },
});
