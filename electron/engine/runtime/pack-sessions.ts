// One warm InferenceSession per graph of a loaded pack. Created once at load-pack, reused by every
// request, released at unload. The engine host holds at most one PackSessions at a time.
import type { OrtSession } from './ort';
import { GRAPH_KEYS, readPackGraphs, type GraphKey, type PackGraphs } from './pack-graphs';
import {
  createSessionWithFallback,
  defaultProviderOrder,
  defaultThreads,
  type ProviderAttempt,
  type ProviderName,
  type ProviderPreferences,
} from './providers';

export interface PackSessions {
  pack: PackGraphs;
  sessions: Record<GraphKey, OrtSession>;
  /** The provider each graph actually runs on (an accelerator may refuse one graph and not another). */
  providers: Record<GraphKey, ProviderName>;
  attempts: ProviderAttempt[];
  threads: number;
}

export async function openPackSessions(
  dir: string,
  preferences: ProviderPreferences = {},
  onGraph?: (key: GraphKey, index: number, total: number) => void,
): Promise<PackSessions> {
  const pack = readPackGraphs(dir);
  const order = preferences.providers ?? defaultProviderOrder(process.platform, preferences.allowWebgpu ?? false);
  const threads = preferences.threads ?? defaultThreads();
  const attempts: ProviderAttempt[] = [];
  const sessions = {} as Record<GraphKey, OrtSession>;
  const providers = {} as Record<GraphKey, ProviderName>;
  try {
    for (const [index, key] of GRAPH_KEYS.entries()) {
      onGraph?.(key, index, GRAPH_KEYS.length);
      const created = await createSessionWithFallback(pack.files[key], order, threads, attempts);
      sessions[key] = created.session;
      providers[key] = created.provider;
    }
  } catch (error) {
    await Promise.allSettled(Object.values(sessions).map((s) => s.release()));
    throw error;
  }
  return { pack, sessions, providers, attempts, threads };
}

export async function releasePackSessions(loaded: PackSessions): Promise<void> {
  await Promise.allSettled(Object.values(loaded.sessions).map((s) => s.release()));
}
