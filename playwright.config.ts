import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The browser host under test: a fresh library, a fixed token, a fixed port on 127.0.0.1.
const port = Number(process.env.E2E_PORT ?? 4873);
export const E2E_TOKEN = 'e2e-session-token';
const home = process.env.E2E_HOME ?? mkdtempSync(join(tmpdir(), 'mv-e2e-home-'));
process.env.E2E_HOME = home;

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  // The acceptance flow renders several real performances: minutes on a loaded 2-core machine.
  timeout: 600_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `node bin/web-host.mjs --port ${port} --token ${E2E_TOKEN} --home ${home}`,
    url: `http://127.0.0.1:${port}/?token=${E2E_TOKEN}`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});
