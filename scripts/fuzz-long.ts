// The hardening fuzzers with larger counts, for a longer run than CI affords (CI runs 10k inputs a
// target in tests/unit/hardening-fuzz-*.test.ts). Same seeds, mutations and contract: every input
// is accepted or refused with a one-line StudioFailure within 2 s. Exits 1 on any finding and prints
// how to replay it (target, seed, iteration).
//   npx tsx scripts/fuzz-long.ts [--count 200000] [--seed 1] [--targets midi,audio,flac,pack,bundle] [--json]
import { Command } from 'commander';
import { checkLibrary, type Library } from '../electron/library';
import { fuzz, summarize, type FuzzReport } from '../tests/support/fuzz';
import { audioTarget, bundleTarget, midiTarget, packTarget, type FuzzTarget } from '../tests/support/fuzz-targets';

type Target = FuzzTarget<unknown> & { library?: Library };
/** Forgets a target's input type: the runner only passes make's output back to call. */
const erase = <T>(target: FuzzTarget<T>): Target => target as unknown as Target;

const TARGETS: Record<string, () => Promise<Target>> = {
  midi: async () => erase(midiTarget()),
  audio: async () => erase(await audioTarget()),
  // FLAC is 6 % of the mixed audio inputs (its decoder is slow to set up); here it gets its own run
  flac: async () => erase(await audioTarget({ flacOnly: true })),
  pack: async () => erase(packTarget()),
  bundle: async () => erase(await bundleTarget()),
};

const program = new Command()
  .option('--count <n>', 'inputs per target', '200000')
  .option('--seed <n>', 'PRNG seed', '1')
  .option('--targets <list>', 'comma-separated targets', Object.keys(TARGETS).join(','))
  .option('--json', 'print the reports as JSON')
  .parse();
const options = program.opts<{ count: string; seed: string; targets: string; json?: boolean }>();

const reports: Array<FuzzReport & { seconds: number }> = [];
for (const key of options.targets.split(',')) {
  const make = TARGETS[key];
  if (!make) throw new Error(`unknown target ${key}; choose from ${Object.keys(TARGETS).join(', ')}`);
  const target = await make();
  const started = Date.now();
  // flac inputs cost ~15 ms each; a tenth of the count keeps its run in line with the others
  const count = Math.max(1, Math.floor(Number(options.count) / (key === 'flac' ? 10 : 1)));
  const report = await fuzz({ ...target, target: target.name, seed: Number(options.seed), count });
  if (target.library) {
    const check = checkLibrary(target.library);
    if (!check.ok)
      report.findings.push({ iteration: -1, what: `library check after the run: ${check.problems.length} problems` });
  }
  target.close?.();
  const seconds = (Date.now() - started) / 1000;
  reports.push({ ...report, seconds });
  console.log(`${summarize(report)}, ${seconds.toFixed(0)} s`);
  for (const f of report.findings)
    console.log(`  finding: ${key} seed ${report.seed} iteration ${f.iteration}: ${f.what}`);
}
if (options.json) console.log(JSON.stringify(reports));
process.exitCode = reports.some((r) => r.findings.length > 0) ? 1 : 0;
