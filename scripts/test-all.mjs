// `npm test`: every suite of the project, one summary. Ends with the plain line
// `N passed, N failed, N skipped` that CI reads. Exit code 1 when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const CI = process.env.CI === 'true';
const cache = '.cache/test';
rmSync(cache, { recursive: true, force: true });
mkdirSync(cache, { recursive: true });

const rows = [];
const record = (suite, passed, failed, skipped, note = '') => rows.push({ suite, passed, failed, skipped, note });

function run(title, cmd, args, env = {}) {
  console.log(`\n━━ ${title}: ${[cmd, ...args].join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

// 1. Static checks, each counted as one test.
for (const [name, cmd, args] of [
  ['build', 'npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
]) {
  const code = run(name, cmd, args);
  record(name, code === 0 ? 1 : 0, code === 0 ? 0 : 1, 0);
}

// 2. Unit and integration tests (vitest).
{
  const out = join(cache, 'vitest.json');
  run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  const report = readJson(out);
  if (report)
    record(
      'vitest',
      report.numPassedTests,
      report.numFailedTests + (report.numRuntimeErrorSuites ?? 0),
      report.numPendingTests + report.numTodoTests,
    );
  else record('vitest', 0, 1, 0, 'no report (crashed?)');
}

// 3. Python reference model tests (Debian's python3 with torch).
{
  const runner = 'native-models/run_tests.py';
  const python = '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import torch, onnx, numpy'], { stdio: 'ignore' });
  if (!existsSync(runner)) {
    record('python', 0, 0, 0, 'no python tests');
  } else if (probe.status !== 0) {
    if (CI) record('python', 0, 1, 0, 'python3-torch/python3-onnx missing: .ci/run must install them');
    else {
      console.log(
        '\nNOTICE: python tests skipped — /usr/bin/python3 lacks torch/onnx (apt install python3-torch python3-onnx)',
      );
      record('python', 0, 0, 1, 'skipped: no torch');
    }
  } else {
    console.log(`\n━━ python: ${python} ${runner}`);
    const result = spawnSync(python, [runner], { encoding: 'utf8', env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    const match = /python: (\d+) passed, (\d+) failed/.exec(result.stdout);
    if (match)
      record('python', Number(match[1]), Number(match[2]) + (result.status === 0 || Number(match[2]) > 0 ? 0 : 1), 0);
    else record('python', 0, 1, 0, 'no summary line');
  }
}

// 4. End-to-end UI tests in Chromium against the browser host.
{
  const out = join(cache, 'playwright.json');
  run('playwright', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  const report = readJson(out);
  if (report?.stats) {
    const errors = report.errors?.length ?? 0;
    record(
      'playwright',
      report.stats.expected + report.stats.flaky,
      report.stats.unexpected + errors,
      report.stats.skipped,
    );
  } else record('playwright', 0, 1, 0, 'no report (browser missing?)');
}

const total = rows.reduce(
  (t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log('\n━━ summary');
for (const r of rows)
  console.log(
    `${r.suite.padEnd(12)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed ${String(r.skipped).padStart(4)} skipped  ${r.note}`,
  );
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
