#!/usr/bin/env node
// The `midi-valle` command. Sources are TypeScript, loaded through tsx so that a fresh clone
// needs no build step before the CLI works.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `error: midi-valle needs Node.js 22.12 or newer (this is ${process.versions.node}); install Node 22 and try again\n`,
  );
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
const { runCli } = await import('../electron/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
