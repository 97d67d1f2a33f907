import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addPiece,
  checkLibrary,
  createProject,
  createRenderJob,
  exportProjectBundle,
  listJobs,
  listPieces,
  listProjects,
  listRenders,
  listTakes,
  openLibrary,
  resumableJobs,
  sha256Hex,
  type Library,
  markOrphanedJobsInterrupted,
} from '../../electron/library';
import { isRunningHere } from '../../electron/services/render/job-run';
import { projectDir, sharedDir, testdata } from '../support/shared-data';
import { readFileSync } from 'node:fs';
import {
  addPromptPerformer,
  seedLibrary,
  segmentFrequency,
  sineRenderer,
  sineWav,
  tempHome,
  runRenderJob,
} from './library-fixtures';

// Crash safety: a child process writes to the library (render jobs, bundle imports, gc) and is
// SIGKILLed at a random moment, 50 times. Afterwards the library must hold no corruption, no
// dangling reference, no take without (complete) audio, and every interrupted job must resume
// to completion. The lead can point WORKER at the real render path later.
const RUNS = 50;
const WORKER_SOURCE = join(projectDir, 'tests', 'unit', 'library-crash-worker.ts');
// Bundled inside node_modules/.cache so the native better-sqlite3 still resolves from the project.
const WORKER = join(projectDir, 'node_modules', '.cache', 'library-crash', 'worker.mjs');

/** Problems other than temp files a killed writer left (those are expected; repair removes them). */
const damage = (lib: Library): string[] =>
  checkLibrary(lib, { graceMs: 0 })
    .problems.filter((p) => p.kind !== 'orphan-temp')
    .map((p) => `${p.kind}: ${p.detail}`);

function runAndKill(
  home: string,
  bundle: string,
  mode: 'render' | 'import',
  delayMs: number,
): Promise<{ killed: boolean; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, home, bundle, mode], {
      cwd: projectDir,
      env: { ...process.env, MIDI_VALLE_SHARED: sharedDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!timer && d.toString().includes('ready')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', stderr, stdout });
    });
  });
}

describe('crash safety', () => {
  let home: string;
  let bundle: string;

  beforeAll(async () => {
    await build({
      entryPoints: [WORKER_SOURCE],
      outfile: WORKER,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      external: ['better-sqlite3'],
      logLevel: 'error',
    });
    // a bundle to import, made in a separate library
    const source = openLibrary(tempHome('crash-src'));
    const seeded = seedLibrary(source, 3);
    await runRenderJob(source, createRenderJob(source, seeded.render.id).id, sineRenderer());
    bundle = join(tempHome('crash-zip'), 'bundle.zip');
    exportProjectBundle(source, seeded.project.id, bundle);
    source.close();

    home = tempHome('crash');
    const lib = openLibrary(home);
    const project = createProject(lib, 'Crash');
    addPiece(lib, project.id, { title: 'Sample B', midi: readFileSync(testdata('midi-valle/sample_B.mid')) });
    addPromptPerformer(lib, 'Crash performer', 'B');
    lib.close();
  });

  it(`survives ${RUNS} SIGKILLs during renders, imports and gc`, async () => {
    let killed = 0;
    let imports = 0;
    let resumedInterrupted = 0;
    // Seeded kill moments, so a failing run can be replayed (timing still varies with machine load).
    let state = 20261125;
    const nextDelay = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) % 120;
    for (let run = 0; run < RUNS; run++) {
      const result = await runAndKill(home, bundle, run % 4 === 3 ? 'import' : 'render', nextDelay());
      if (!result.killed) throw new Error(`worker ended by itself: ${result.stderr}`);
      killed++;
      imports += result.stdout.split('\n').filter((l) => l === 'import').length;
      resumedInterrupted += result.stdout.split('\n').filter((l) => l === 'resume interrupted').length;
      if (run % 10 === 9) {
        const lib = openLibrary(home);
        expect(damage(lib)).toEqual([]);
        lib.close();
      }
    }
    expect(killed).toBe(RUNS);
    // the kills really landed in the middle of work: jobs were found interrupted and resumed (how many
    // depends on where each kill lands; a loaded machine lands fewer of them mid-job)
    expect(resumedInterrupted).toBeGreaterThanOrEqual(RUNS / 5);
    expect(imports).toBeGreaterThanOrEqual(Math.floor(RUNS / 4));
    console.log(
      `crash harness: ${killed} kills, ${resumedInterrupted} interrupted jobs resumed by the next run, ${imports} imports started`,
    );

    const lib = openLibrary(home);
    // the studio's start-up recovery, as after any crash
    markOrphanedJobsInterrupted(lib, isRunningHere);
    expect(listJobs(lib, { status: ['running'] })).toEqual([]);
    expect(damage(lib)).toEqual([]);
    checkLibrary(lib, { repair: true, graceMs: 0 });

    // every interrupted job resumes to completion
    const interrupted = resumableJobs(lib);
    for (const job of interrupted) expect((await runRenderJob(lib, job.id, sineRenderer())).status).toBe('done');
    expect(listJobs(lib).every((j) => j.status === 'done')).toBe(true);
    expect(checkLibrary(lib, { graceMs: 0 })).toMatchObject({ ok: true, problems: [] });

    // every take holds exactly the audio the renderer made for it: nothing partial became visible
    const renders = listRenders(lib);
    expect(renders.length).toBeGreaterThan(3);
    for (const render of renders) {
      expect(render.segmentsWithTake).toBe(render.segmentCount);
      expect(render.status).toBe('done');
      for (const take of listTakes(lib, render.id)) {
        expect(take.audioHash).toBe(sha256Hex(sineWav(segmentFrequency(take.segmentIndex, take.segmentSeed!), 0.05)));
        expect(sha256Hex(lib.getBlob(take.audioHash))).toBe(take.audioHash);
      }
    }
    // imports are all-or-nothing: every imported project is whole
    for (const project of listProjects(lib).filter((p) => p.name === 'Fugues')) {
      const pieces = listPieces(lib, project.id);
      expect(pieces).toHaveLength(1);
      expect(listRenders(lib, { projectId: project.id })).toHaveLength(1);
    }
    lib.close();
  }, 180_000);
});
