#!/usr/bin/env node
// Electronegativity (Doyensec's Electron security scanner) over the Electron-only code: the main
// process and the preload, scanned together so its global checks (navigation limits, permission
// handler) see both. Exits 1 on any HIGH finding that is not in ACCEPTED below; every accepted one
// says why it is a false positive here (docs/reliability.md repeats them).
// Usage: node scripts/electronegativity.mjs [--json]
// The package's own CLI breaks against the commander version this project hoists, so this calls
// its programmatic API.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED = ['electron/main', 'electron/preload'];

/** Findings reviewed and accepted: [check id, file, reason]. */
export const ACCEPTED = [
  [
    'CONTEXT_ISOLATION_JS_CHECK',
    'main/index.ts',
    'webPreferences come from studioWebPreferences() (main/web-preferences.ts: contextIsolation true), which the static check cannot follow; tests/unit/electron-security.test.ts asserts the values',
  ],
  [
    'NODE_INTEGRATION_JS_CHECK',
    'main/index.ts',
    'same object: nodeIntegration, nodeIntegrationInWorker and nodeIntegrationInSubFrames are false in studioWebPreferences()',
  ],
  ['SANDBOX_JS_CHECK', 'main/index.ts', 'same object: sandbox true in studioWebPreferences()'],
  [
    'AUXCLICK_JS_CHECK',
    'main/index.ts',
    'middle-click cannot open anything: main/security.ts denies every new window (setWindowOpenHandler) and every navigation away from the app',
  ],
  [
    'REMOTE_MODULE_JS_CHECK',
    'main/index.ts',
    'the remote module was removed from Electron in v14; this app uses Electron 45',
  ],
  [
    'CSP_GLOBAL_CHECK',
    'N/A',
    'the CSP (shared/csp.ts) is a <meta> tag that renderer/vite.config.ts writes into the built index.html, and a response header in the web host; neither is in the scanned main/preload sources',
  ],
];

const isAccepted = (issue) => ACCEPTED.some(([id, file]) => id === issue.id && file === issue.file);

export async function scan() {
  const run = require('@doyensec/electronegativity');
  const dir = mkdtempSync(join(tmpdir(), 'mv-electronegativity-'));
  try {
    for (const folder of SCANNED)
      cpSync(join(root, folder), join(dir, folder.replace(/^electron\//, '')), { recursive: true });
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const electronVersion = String(pkg.devDependencies?.electron ?? pkg.dependencies?.electron ?? '45.0.0').replace(
      /^[^\d]*/,
      '',
    );
    const result = await run({
      input: dir,
      isRelative: true,
      severitySet: 'informational',
      confidenceSet: 'tentative',
      electronVersionOverride: electronVersion,
    });
    const findings = result.issues.map((i) => ({
      id: i.id,
      severity: i.severity?.name ?? String(i.severity),
      confidence: i.confidence?.name ?? String(i.confidence),
      file: i.file,
      line: i.location?.line ?? 0,
      description: i.description,
      accepted: isAccepted(i),
    }));
    return {
      scanned: SCANNED,
      electronVersion,
      checks: result.globalChecks + result.atomicChecks,
      errors: result.errors.length,
      findings,
      blocking: findings.filter((f) => f.severity === 'HIGH' && !f.accepted),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await scan();
  if (process.argv.includes('--json')) console.log(JSON.stringify(report));
  else {
    for (const f of report.findings)
      console.log(
        `${f.accepted ? 'accepted' : 'OPEN    '} ${f.severity.padEnd(13)} ${f.id} ${f.file}:${f.line} ${f.description}`,
      );
    console.log(
      `${report.checks} checks, ${report.findings.length} findings, ${report.blocking.length} blocking (HIGH, not accepted)`,
    );
  }
  process.exitCode = report.blocking.length > 0 ? 1 : 0;
}
