// Engine benchmark: KV-cached AR vs the official full recompute, stage times, end-to-end real-time factor at
// batch 1 and 4, peak RSS. Pack: native-models/packs/real (real dims, random weights: `python3
// native-models/make_test_pack.py --dims real --seed 7 --out native-models/packs/real`, never committed) when
// present, else the tiny pack. MIDI_VALLE_BENCH_PACK overrides the folder; a sibling `real-int8` folder adds
// the int8 rows. Each pack runs in a process of its own (bench/workers/engine-pack.ts) started with the
// engine host's flags and environment, so each peak RSS is that pack's alone, measured as the product runs it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineClient } from '../electron/engine/client/engine-client';
import { ENGINE_HOST_EXEC_ARGV, engineHostEnv } from '../electron/engine/host/host-env';
import { firstAudio } from './support/first-audio';
import type { Row } from './workers/engine-pack';

const projectDir = resolve(fileURLToPath(import.meta.url), '..', '..');
const worker = join(projectDir, 'bench', 'workers', 'engine-pack.ts');

function benchPack(dir: string, label: string): Row[] {
  const stdout = execFileSync(process.execPath, [...ENGINE_HOST_EXEC_ARGV, '--import', 'tsx', worker, dir, label], {
    cwd: projectDir,
    env: engineHostEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '[]';
  return JSON.parse(last) as Row[];
}

/** A new engine process (as the studio starts one) until `dir` is loaded: ms to the process's hello, to ready. */
async function coldStart(dir: string, cacheDir: string): Promise<{ helloMs: number; readyMs: number }> {
  const started = performance.now();
  const client = EngineClient.fork({ stderr: 'ignore' });
  try {
    await client.hello();
    const helloMs = performance.now() - started;
    await client.loadPack(dir, undefined, { cacheDir });
    return { helloMs, readyMs: performance.now() - started };
  } finally {
    client.close();
  }
}

/**
 * Start-up from a cold engine process, twice with one engine cache: the first launch after a pack is
 * installed hashes its graphs (checksum check), later launches find it recorded (verified-load.ts).
 */
async function startupRows(dir: string, label: string): Promise<Row[]> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'mv-bench-engine-cache-'));
  try {
    const first = await coldStart(dir, cacheDir);
    const later = await coldStart(dir, cacheDir);
    const audio = await firstAudio(dir, cacheDir);
    const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
    return [
      {
        name: `${label}: start-up, cold engine process to a ready pack`,
        value: Math.round(later.readyMs),
        unit: 'ms',
        note: `process up ${Math.round(later.helloMs)} ms (tsx entry); first launch after install, graphs hashed: ${Math.round(first.readyMs)} ms`,
      },
      {
        name: `${label}: time to first audio of a ${(audio.pieceSeconds / 60).toFixed(1)}-minute piece, cold engine process`,
        value: Math.round(audio.totalMs),
        unit: 'ms',
        note: `Beethoven op. 27/2 iii (ASAP Meek03), ${audio.segments} segments; pack ready ${s(audio.readyMs)}, prompt B encoded ${s(audio.promptMs)}, segment 1 (${audio.segmentSeconds.toFixed(1)} s of music) ${s(audio.segmentMs)}`,
      },
    ];
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function benchPackWithStartup(dir: string, label: string): Promise<Row[]> {
  return [...(await startupRows(dir, label)), ...benchPack(dir, label)];
}

export async function run(): Promise<Row[]> {
  const packs = join(projectDir, 'native-models', 'packs');
  const real = process.env.MIDI_VALLE_BENCH_PACK ?? join(packs, 'real');
  if (existsSync(join(real, 'pack.json'))) {
    const rows = await benchPackWithStartup(real, 'real dims fp32');
    const int8 = join(real, '..', 'real-int8');
    if (existsSync(join(int8, 'pack.json'))) rows.push(...(await benchPackWithStartup(int8, 'real dims int8')));
    return rows;
  }
  const tiny = join(packs, 'tiny');
  if (!existsSync(join(tiny, 'pack.json'))) throw new Error(`no pack to benchmark: neither ${real} nor ${tiny} exists`);
  return benchPackWithStartup(tiny, 'tiny pack (no real-dims pack present)');
}

// `npx tsx bench/engine.ts` prints the rows.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const row of await run())
    console.log(`${row.name}: ${row.value} ${row.unit}${row.note ? ` (${row.note})` : ''}`);
}
