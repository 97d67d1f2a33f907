#!/usr/bin/env node
import { register } from 'tsx/esm/api';

register();
const { runWebHost } = await import('../electron/web-host/main.ts');
await runWebHost(process.argv.slice(2)).catch((error) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
