// Child process of library-crash.test.ts: does library-writing work in a loop until it is
// SIGKILLed — resuming interrupted render jobs, starting new renders, importing a bundle, and
// collecting garbage — with the deterministic sine renderer standing in for an engine.
// Usage: node WORKER.mjs HOME BUNDLE.zip (the test bundles this file with esbuild: tsx startup is too slow for 50 runs)
import {
  collectGarbage,
  importProjectBundle,
  listPieces,
  listPerformers,
  listProjects,
  markOrphanedJobsInterrupted,
  openLibrary,
  queueRender,
  resumableJobs,
} from '../../electron/library';
import { isRunningHere } from '../../electron/services/render/job-run';
import { fixtureSegments, sineRenderer, runRenderJob } from './library-fixtures';

const [home, bundle, mode] = process.argv.slice(2) as [string, string, 'render' | 'import'];
const lib = openLibrary(home);
// the studio's start-up recovery: jobs a killed process left running become interrupted
markOrphanedJobsInterrupted(lib, isRunningHere);
collectGarbage(lib, { graceMs: 0 }); // the only writer: nothing is in flight
process.stdout.write('ready\n');

const project = listProjects(lib).find((p) => p.name === 'Crash')!;
const piece = listPieces(lib, project.id)[0]!;
const performer = listPerformers(lib).find((p) => p.name === 'Crash performer')!;

for (let round = 0; ; round++) {
  const pending = resumableJobs(lib);
  if (round === 0 && mode === 'import') {
    process.stdout.write('import\n');
    importProjectBundle(lib, bundle);
  } else if (pending.length > 0) {
    process.stdout.write(`resume ${pending[0]!.status}\n`);
    await runRenderJob(lib, pending[0]!.id, sineRenderer());
  } else if (round % 3 === 1) {
    process.stdout.write('import\n');
    importProjectBundle(lib, bundle);
  } else {
    const { job } = queueRender(lib, {
      pieceId: piece.id,
      performerId: performer.id,
      engine: 'neural',
      pack: { id: 'crash-pack', version: '1' },
      params: { round },
      seed: Math.floor(Math.random() * 1e6),
      segments: fixtureSegments(6, piece.midiHash),
    });
    await runRenderJob(lib, job.id, sineRenderer());
  }
}
