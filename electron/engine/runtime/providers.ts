// Execution-provider selection. onnxruntime-node does NOT fall back by itself: a list such as ['cuda','cpu']
// throws at session creation when the CUDA libraries are missing (../shared/reference/engineering-notes.md
// §2.3), and unknown providers are silently dropped. So we try one accelerator at a time, always with 'cpu'
// behind it for the ops it lacks, and move on to the next candidate on failure.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { loadOrt, type OrtSession } from './ort';

import type { ProviderName } from '../../shared/devices';

export type { ProviderName };

export interface ProviderPreferences {
  /** Explicit order; default: the platform's accelerators then cpu. */
  providers?: ProviderName[];
  /** WebGPU is experimental in Node; it is only tried when asked for. */
  allowWebgpu?: boolean;
  /** Intra-op threads; default: all cores. */
  threads?: number;
}

export interface ProviderAttempt {
  provider: ProviderName;
  ok: boolean;
  error?: string;
}

/** Candidates in the order they are tried on this platform. */
export function defaultProviderOrder(
  platform: NodeJS.Platform = process.platform,
  allowWebgpu = false,
): ProviderName[] {
  const order: ProviderName[] = [];
  if (platform === 'linux' || platform === 'win32') order.push('cuda');
  if (platform === 'win32') order.push('dml');
  if (platform === 'darwin') order.push('coreml');
  if (allowWebgpu) order.push('webgpu');
  order.push('cpu');
  return order;
}

/** The providers named in ORT's own list of backends for this build (bundled or installable). */
export function knownBackends(): Array<{ name: string; bundled: boolean }> {
  const ort = loadOrt() as unknown as { listSupportedBackends?: () => Array<{ name: string; bundled: boolean }> };
  return ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
}

/**
 * How a graph's CPU memory is managed (which graph gets what: pack-sessions.ts, memoryPolicy):
 *  * `arena`: ONNX Runtime's arena keeps a run's activations for the next run. Graphs run many times with
 *    modest activations (AR steps; NAR stages, ~130 MB at real dims since their attention is fused) want it: a run
 *    then maps no fresh memory, and fresh pages cost a fault each (on one VM kind here, 13 µs per 4 KiB page).
 *    Without it (codec: ~0.4 GB of activations for 17.5 s, run once a segment) each run's activations go back to
 *    the system when it ends, so they never stack on top of the rest of a render.
 *  * `prepack`: weights re-laid out for the GEMM kernels at creation (B = 4 AR steps measured 1.8× slower
 *    without). The fp32 NAR goes without: its packed copy costs ~400 MB at real dims for ~10 % of its time.
 */
export interface MemoryPolicy {
  arena: boolean;
  prepack: boolean;
}

export const STEP_MEMORY: MemoryPolicy = { arena: true, prepack: true };

export function sessionOptions(
  provider: ProviderName,
  threads: number,
  memory: MemoryPolicy = STEP_MEMORY,
): InferenceSession.SessionOptions {
  const executionProviders: InferenceSession.ExecutionProviderConfig[] =
    provider === 'cpu' ? ['cpu'] : [provider, 'cpu'];
  return {
    executionProviders,
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: memory.arena,
    // Keep spinning during a run (fast steps) but stop the pool spinning once run() returns, so an idle
    // engine does not burn the user's cores between steps of other work.
    extra: {
      session: { force_spinning_stop: '1', ...(memory.prepack ? {} : { disable_prepacking: '1' }) },
    },
  };
}

/** Which prebuilt onnxruntime-node binaries carry the provider at all (README's EP matrix). */
export function providerExistsOn(provider: ProviderName, platform: NodeJS.Platform): boolean {
  switch (provider) {
    case 'cuda':
      return platform === 'linux' || platform === 'win32';
    case 'dml':
      return platform === 'win32';
    case 'coreml':
      return platform === 'darwin';
    default:
      return true;
  }
}

/**
 * onnxruntime-node ships the CUDA provider as separate libraries that its installer downloads (skipped on
 * our build machines; `npm run setup:gpu` installs them). Returns why CUDA cannot load, or null.
 */
export function missingProviderLibrary(provider: ProviderName): string | null {
  if (provider !== 'cuda') return null;
  let binDir: string;
  try {
    const packageJson = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
    binDir = join(dirname(packageJson), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null; // unusual layout (bundled app): let ORT try
  }
  const file = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return existsSync(join(binDir, file)) ? null : `CUDA provider library not installed (${file}; run npm run setup:gpu)`;
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Create a session on the first provider that works. A provider that failed once in this process is not
 * retried for the next graph of the same pack (each failure costs a native library load attempt).
 */
export async function createSessionWithFallback(
  file: string,
  order: ProviderName[],
  threads: number,
  attempts: ProviderAttempt[],
  memory: MemoryPolicy = STEP_MEMORY,
): Promise<{ session: OrtSession; provider: ProviderName }> {
  const ort = loadOrt();
  const failed = new Set(attempts.filter((a) => !a.ok).map((a) => a.provider));
  let lastError = 'no provider to try';
  for (const provider of order) {
    if (failed.has(provider)) continue;
    if (!providerExistsOn(provider, process.platform)) {
      // ORT would silently drop it and run on CPU while we reported the accelerator: refuse up front.
      attempts.push({ provider, ok: false, error: `not available on ${process.platform}` });
      failed.add(provider);
      continue;
    }
    const missing = missingProviderLibrary(provider);
    if (missing) {
      // Saves a failed native load (and its alarming red log line) on every machine without CUDA.
      attempts.push({ provider, ok: false, error: missing });
      failed.add(provider);
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(file, sessionOptions(provider, threads, memory));
      if (!attempts.some((a) => a.provider === provider && a.ok)) attempts.push({ provider, ok: true });
      return { session, provider };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      attempts.push({ provider, ok: false, error: lastError.split('\n')[0]!.slice(0, 300) });
      failed.add(provider);
    }
  }
  throw new Error(`could not create an ONNX Runtime session for ${file}: ${lastError}`);
}
