// Where the Electron binary is, without triggering Electron's download-on-first-use.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function electronBinary() {
  const require = createRequire(import.meta.url);
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: undefined, reason: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return { path: undefined, reason: "Electron's binary has not been fetched yet" };
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary)
    ? { path: binary }
    : { path: undefined, reason: `Electron's binary is missing (${binary})` };
}
