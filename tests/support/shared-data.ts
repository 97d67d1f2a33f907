import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, two levels above this file. */
export const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** ../shared beside the project: reference material and real test data (read-only). */
export const sharedDir = process.env.MIDI_VALLE_SHARED ?? resolve(projectDir, '..', 'shared');

/**
 * Path of a file under ../shared/testdata. In CI a missing file is a failure, never a skip:
 * tests on real data must not pass by not running.
 */
export function testdata(relative: string): string {
  const path = join(sharedDir, 'testdata', relative);
  if (!existsSync(path)) {
    throw new Error(`test data missing: ${path} (tests read ../shared beside the project; see README)`);
  }
  return path;
}

/** True when ../shared/testdata is present; outside CI, suites on real data may skip without it. */
export const hasSharedTestdata = existsSync(join(sharedDir, 'testdata'));

if (!hasSharedTestdata && process.env.CI === 'true') {
  throw new Error(`CI=true but ${join(sharedDir, 'testdata')} is missing: real-data tests cannot run`);
}
