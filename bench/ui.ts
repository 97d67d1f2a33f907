import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import sirv from 'sirv';
import type { BenchResult } from '../scripts/bench-runner';

// Piano-roll frame time with 50 000 generated notes while panning and zooming, measured in
// Chromium on the renderer's harness page (renderer/harness.html). Target: under 16 ms a frame.
const NOTES = 50_000;
const FRAMES = 120;

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
};
const round = (value: number): number => Math.round(value * 100) / 100;

async function serve(dir: string): Promise<Server> {
  const handler = sirv(dir, { dev: false });
  const server = createServer((req, res) => handler(req, res, () => void res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

export async function run(): Promise<BenchResult[]> {
  if (!existsSync('out/renderer/harness.html')) {
    const build = spawnSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts'],
      {
        stdio: 'inherit',
      },
    );
    if (build.status !== 0) throw new Error('renderer build failed');
  }
  const server = await serve('out/renderer');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    const port = (server.address() as AddressInfo).port;
    await page.goto(`http://127.0.0.1:${port}/harness.html?notes=${NOTES}`);
    await page.getByText(`${NOTES} notes`).waitFor();
    const results: BenchResult[] = [];
    const verbs = { pan: 'panning', zoom: 'zooming' } as const;
    for (const scenario of ['pan', 'zoom'] as const) {
      const verb = verbs[scenario];
      const { drawMs, frameMs } = await page.evaluate(
        ([s, frames]) =>
          (
            window as unknown as {
              __harness: { benchmark: (s: string, f: number) => Promise<{ drawMs: number[]; frameMs: number[] }> };
            }
          ).__harness.benchmark(s as string, frames as number),
        [scenario, FRAMES] as const,
      );
      // Other work on the machine shows up in the tail (p95): the load average says how busy it was.
      const note = `${NOTES} notes, ${FRAMES} frames, 1400×800 viewport, headless Chromium (software canvas), load average ${loadavg()[0]!.toFixed(1)}`;
      results.push(
        { name: `piano roll draw while ${verb}, median`, value: round(percentile(drawMs, 0.5)), unit: 'ms', note },
        {
          name: `piano roll draw while ${verb}, p95`,
          value: round(percentile(drawMs, 0.95)),
          unit: 'ms',
          note: 'target < 16 ms',
        },
        {
          name: `frame interval while ${verb}, median`,
          value: round(percentile(frameMs, 0.5)),
          unit: 'ms',
          note: 'requestAnimationFrame to requestAnimationFrame, all work included',
        },
      );
    }
    return results;
  } finally {
    await browser.close();
    server.close();
  }
}
