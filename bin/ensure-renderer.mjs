// `npm run studio:web` on a fresh clone, or after a pull: builds the views (renderer/) when their
// build is missing or older than their sources, so the studio starts directly as the README says.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** Sources the built views depend on: the renderer, and the contract and shared code it imports. */
const SOURCES = ['renderer', 'electron/contract', 'electron/shared', 'package.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** Why the views need a build, or undefined when the build in `outDir` is current. */
export function rendererBuildReason(root, outDir) {
  if (!existsSync(join(root, 'renderer', 'vite.config.ts'))) return undefined; // a packaged app: built already
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return 'the views are not built yet';
  const built = statSync(index).mtimeMs;
  const changed = SOURCES.find((source) => newestMtime(join(root, source)) > built);
  return changed ? `${changed} changed since the views were built` : undefined;
}

/** Builds the views into `outDir` when needed; returns false (after one line on stderr) when the build fails. */
export function ensureRenderer(root, outDir) {
  const reason = rendererBuildReason(root, outDir);
  if (!reason) return true;
  console.log(`Building the studio's views (${reason})…`);
  const manifest = createRequire(join(root, 'package.json')).resolve('vite/package.json');
  const vite = join(dirname(manifest), JSON.parse(readFileSync(manifest, 'utf8')).bin.vite);
  const result = spawnSync(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      'renderer/vite.config.ts',
      '--outDir',
      resolve(outDir),
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    console.error('error: building the views failed (see above); run `npm run build:renderer` to retry');
    return false;
  }
  return true;
}
