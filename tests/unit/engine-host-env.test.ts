// The engine host's start-up environment does what host-env.ts says it does, in a real process: large
// blocks are mmapped (and go back at free) and sit on transparent huge pages, and the user's own values win.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineHostEnv } from '../../electron/engine/host/host-env';

// A child that fills a 64 MiB buffer and reports the anonymous memory on huge pages, in KiB.
const REPORT_HUGE_PAGES = `
const b = Buffer.alloc(64 * 1024 * 1024); b.fill(1);
const rollup = require('fs').readFileSync('/proc/self/smaps_rollup', 'utf8');
process.stdout.write(rollup.match(/AnonHugePages:\\s+(\\d+)/)[1]);
`;

function hugePagesKiB(env: NodeJS.ProcessEnv): number {
  return Number(execFileSync(process.execPath, ['-e', REPORT_HUGE_PAGES], { env, encoding: 'utf8' }));
}

const THP_FILE = '/sys/kernel/mm/transparent_hugepage/enabled';
const thpMode = existsSync(THP_FILE) ? /\[(\w+)\]/.exec(readFileSync(THP_FILE, 'utf8'))?.[1] : undefined;
const withoutUserTunables = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.GLIBC_TUNABLES;
  delete env.MALLOC_MMAP_THRESHOLD_;
  delete env.MALLOC_TRIM_THRESHOLD_;
  return env;
};

describe('engine host environment', () => {
  it('keeps values the user already set', () => {
    const env = engineHostEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2', MALLOC_MMAP_THRESHOLD_: '65536' });
    expect(env.GLIBC_TUNABLES).toBe('glibc.malloc.arena_max=2');
    expect(env.MALLOC_MMAP_THRESHOLD_).toBe('65536');
    expect(env.MALLOC_TRIM_THRESHOLD_).toBe('131072');
  });

  // Where the kernel honours madvise (Debian's default), only the tuned process gets huge pages.
  it.skipIf(process.platform !== 'linux' || thpMode !== 'madvise')(
    'puts large allocations of the engine host on transparent huge pages',
    () => {
      const plain = hugePagesKiB(withoutUserTunables());
      const tuned = hugePagesKiB(engineHostEnv(withoutUserTunables()));
      expect(plain).toBe(0);
      expect(tuned).toBeGreaterThanOrEqual(32 * 1024);
    },
  );
});
