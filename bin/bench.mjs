#!/usr/bin/env node
// `npm run bench [-- area...]`: runs bench/<area>.ts, prints a table, writes JSON to
// .cache/bench/<area>.json and the table into docs/benchmarks.md between markers.
import { register } from 'tsx/esm/api';

register();
const { runBenchmarks } = await import('../scripts/bench-runner.ts');
process.exitCode = await runBenchmarks(process.argv.slice(2));
