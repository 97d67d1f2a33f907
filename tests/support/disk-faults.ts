// A real small file system for fault tests: a tmpfs that can be filled to the last byte (ENOSPC) or
// remounted read-only (EROFS). Only root on Linux may mount one; suites skip loudly elsewhere.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when this process may mount a tmpfs at `mountpoint`. */
export function canMountTmpfs(mountpoint: string): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountpoint], { stdio: 'ignore' });
    execFileSync('umount', [mountpoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const newMountpoint = (): string => mkdtempSync(join(tmpdir(), 'mv-fault-'));

export const mountTmpfs = (mountpoint: string, size: string): void =>
  void execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountpoint]);

export const remountReadOnly = (mountpoint: string): void =>
  void execFileSync('mount', ['-o', 'remount,ro', mountpoint]);

export const unmount = (mountpoint: string): void => void execFileSync('umount', ['-l', mountpoint]);

/** Fills the file system holding `dir` to the last byte; returns the filler's path. */
export function fillDisk(dir: string): string {
  const filler = join(dir, 'filler');
  const chunk = Buffer.alloc(64 * 1024, 7);
  writeFileSync(filler, '');
  for (let size = chunk.length; size >= 1; size = Math.floor(size / 2)) {
    for (;;) {
      try {
        writeFileSync(filler, chunk.subarray(0, size), { flag: 'a' });
      } catch {
        break;
      }
    }
  }
  return filler;
}
