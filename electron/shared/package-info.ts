import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: two levels above this file in sources, and above out/electron when bundled. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'midi-valle-studio') return dir;
    } catch {
      // not here; go up
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the MIDI-VALLE Studio package root');
}

let cached: { name: string; productName: string; version: string } | undefined;

export function packageInfo(): { name: string; productName: string; version: string } {
  cached ??= JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as {
    name: string;
    productName: string;
    version: string;
  };
  return cached;
}
