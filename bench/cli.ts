import { spawnSync } from 'node:child_process';
import type { BenchResult } from '../scripts/bench-runner';

/** CLI start-up: what every scripted call of midi-valle pays. */
export async function run(): Promise<BenchResult[]> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['bin/midi-valle.mjs', '--version']);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return [{ name: 'midi-valle --version (median of 5)', value: Math.round(times[2]!), unit: 'ms' }];
}
