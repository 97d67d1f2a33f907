// Fault injection on a real small file system: the library lives on a 2 MB tmpfs that is filled to
// the last byte (ENOSPC) or remounted read-only (EROFS). Tests run as root, which chmod does not
// stop, so only a real mount shows what the library does. A render or a bundle import into such a
// library must fail with one clear line, leave nothing half-written (checkLibrary clean), and the
// library must open and work again once space or write access is back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioFailure } from '../../electron/shared/failure';
import {
  addPiece,
  checkLibrary,
  createProject,
  createRender,
  createRenderJob,
  exportProjectBundle,
  getRender,
  importProjectBundle,
  listProjects,
  openLibrary,
  resumableJobs,
  type Library,
} from '../../electron/library';
import { smallLibrary } from '../support/fuzz-targets';
import { testdata } from '../support/shared-data';
import { fixtureSegments, sineRenderer, tempHome, runRenderJob } from './library-fixtures';

const mountpoint = mkdtempSync(join(tmpdir(), 'mv-fault-'));

/** True when this process may mount a tmpfs (root on Linux, outside a locked-down container). */
function canMount(): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountpoint], { stdio: 'ignore' });
    execFileSync('umount', [mountpoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const mountable = process.platform === 'linux' && canMount();
if (!mountable) {
  console.warn(
    'NOTICE: hardening-disk-faults skipped: this machine cannot mount a tmpfs (needs root on Linux); ' +
      'disk-full and read-only library faults were NOT tested here',
  );
}

/** Fills the file system holding `dir` to the last byte, returns the filler's path. */
function fillDisk(dir: string): string {
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

/** Runs `fn`, returns what it threw (undefined when it did not throw). */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (error) {
    return error;
  }
}

function expectClearFailure(error: unknown): void {
  expect(error).toBeInstanceOf(StudioFailure);
  const message = (error as StudioFailure).message;
  expect(message).not.toContain('\n');
  expect(message).toMatch(/full|read-only|space|write/i);
}

/** A bundle of a small project from another library: its blobs are new to the faulted library. */
function otherBundle(): Uint8Array {
  const lib = openLibrary(tempHome('fault-src'));
  const { projectId } = smallLibrary(lib);
  const path = join(tempHome('fault-zip'), 'small.zip');
  exportProjectBundle(lib, projectId, path);
  lib.close();
  return new Uint8Array(readFileSync(path));
}

describe.skipIf(!mountable)('a library on a full or read-only file system', () => {
  let home: string;
  let lib: Library | undefined;

  beforeEach(() => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountpoint]);
    home = join(mountpoint, 'library');
  });

  afterEach(() => {
    lib?.close();
    lib = undefined;
    execFileSync('umount', ['-l', mountpoint]);
  });

  /** A library with one piece and a two-segment render, nothing rendered yet. */
  function seeded(): { lib: Library; renderId: string } {
    const opened = openLibrary(home);
    const project = createProject(opened, 'Faults');
    const piece = addPiece(opened, project.id, {
      title: 'Prompt A',
      midi: readFileSync(testdata('midi-valle/prompt_A.midi')),
      midiName: 'prompt_A.midi',
    });
    const render = createRender(opened, {
      pieceId: piece.id,
      performerId: null,
      engine: 'sampler',
      pack: { id: 'sampler', version: '1' },
      params: {},
      seed: 1,
      device: 'cpu',
      segments: fixtureSegments(2, piece.midiHash),
    });
    return { lib: opened, renderId: render.id };
  }

  it('disk full: a render fails clearly, nothing is corrupted, and it completes once space is back', async () => {
    const s = seeded();
    lib = s.lib;
    const job = createRenderJob(lib, s.renderId);
    const filler = fillDisk(mountpoint);
    // the job row exists; its first take (32 kB of audio) meets the full disk
    const error = await thrown(() => runRenderJob(lib!, job.id, sineRenderer({ seconds: 2 })));
    expectClearFailure(error);
    rmSync(filler);
    expect(checkLibrary(lib).problems).toEqual([]);
    lib.close();
    lib = openLibrary(home);
    expect(checkLibrary(lib).problems).toEqual([]);
    expect(resumableJobs(lib).map((j) => j.id)).toContain(job.id);
    await runRenderJob(lib, job.id, sineRenderer({ seconds: 2 }));
    expect(getRender(lib, s.renderId).status).toBe('done');
  });

  it('disk full: a bundle import fails clearly and adds nothing; it imports once space is back', async () => {
    const bundle = otherBundle();
    lib = seeded().lib;
    const filler = fillDisk(mountpoint);
    const error = await thrown(() => importProjectBundle(lib!, bundle));
    expectClearFailure(error);
    rmSync(filler);
    expect(listProjects(lib)).toHaveLength(1);
    expect(checkLibrary(lib).problems).toEqual([]);
    lib.close();
    lib = openLibrary(home);
    importProjectBundle(lib, bundle);
    expect(listProjects(lib)).toHaveLength(2);
    expect(checkLibrary(lib).problems).toEqual([]);
  });

  it('read-only: opening, rendering or importing fails clearly; the library is intact afterwards', async () => {
    const bundle = otherBundle();
    const s = seeded();
    s.lib.close();
    execFileSync('mount', ['-o', 'remount,ro', mountpoint]);
    const openError = await thrown(async () => {
      lib = openLibrary(home);
      await runRenderJob(lib, createRenderJob(lib, s.renderId).id, sineRenderer({ seconds: 0.1 }));
    });
    expectClearFailure(openError);
    const importError = await thrown(() => {
      lib ??= openLibrary(home);
      importProjectBundle(lib, bundle);
    });
    expectClearFailure(importError);
    lib?.close();
    lib = undefined;
    execFileSync('mount', ['-o', 'remount,rw', mountpoint]);
    lib = openLibrary(home);
    expect(checkLibrary(lib).problems).toEqual([]);
    expect(listProjects(lib)).toHaveLength(1);
  });
});
