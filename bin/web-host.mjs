#!/usr/bin/env node
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { ensureRenderer } from './ensure-renderer.mjs';

// The views are built when missing or stale; MIDI_VALLE_RENDERER_DIR serves another build folder.
const root = fileURLToPath(new URL('..', import.meta.url));
const rendererDir = process.env.MIDI_VALLE_RENDERER_DIR ?? join(root, 'out', 'renderer');
if (!ensureRenderer(root, rendererDir)) process.exit(1);

register();
const { runWebHost } = await import('../electron/web-host/main.ts');
await runWebHost(process.argv.slice(2), rendererDir).catch((error) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
