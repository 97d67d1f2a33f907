// One warm InferenceSession per graph of a loaded pack. Created once at load-pack, reused by every
// request, released at unload. The engine host holds at most one PackSessions at a time.
import type { OrtSession } from './ort';
import { GRAPH_KEYS, readPackGraphs, type GraphKey, type PackGraphs } from './pack-graphs';
import {
  createSessionWithFallback,
  defaultProviderOrder,
  defaultThreads,
  type MemoryPolicy,
  type ProviderAttempt,
  type ProviderName,
  type ProviderPreferences,
  STEP_MEMORY,
} from './providers';

/** Memory policy per graph (providers.ts); `precision` is the graph's own, from pack.json. */
function memoryPolicy(key: GraphKey, precision: string): MemoryPolicy {
  switch (key) {
    case 'narStage':
      return { arena: true, prepack: precision === 'int8' };
    case 'codecDecode':
    case 'codecEncode':
      return { arena: false, prepack: true };
    default:
      return STEP_MEMORY;
  }
}

/**
 * The codec encoder runs once per performer and pack (the library caches prompt codes), so it is not kept
 * warm: it is opened for each encode and released after. That keeps its weights (122 MB at real dims) out of
 * the engine's resident memory during renders, and its session creation (0.8–2 s at real dims) out of
 * start-up. Its file passed the pack's checksum check at load like every graph.
 */
export const ON_DEMAND_GRAPH = 'codecEncode' satisfies GraphKey;
export type WarmGraph = Exclude<GraphKey, typeof ON_DEMAND_GRAPH>;

export interface PackSessions {
  pack: PackGraphs;
  sessions: Record<WarmGraph, OrtSession>;
  /**
   * Opens the fp32 pack's int8 draft decoder (speculative decoding, pipeline/speculative.ts), when it has one;
   * the caller releases it. Opened per segment and released before the NAR and codec run, because its 0.2 GB
   * would otherwise sit on top of the codec's activations, the peak of a segment (docs/engine.md, Memory).
   */
  openDraft?: () => Promise<OrtSession>;
  /** The provider each graph actually runs on (an accelerator may refuse one graph and not another). */
  providers: Record<GraphKey, ProviderName>;
  attempts: ProviderAttempt[];
  threads: number;
  order: ProviderName[];
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
  const sessions = {} as Record<GraphKey, OrtSession | undefined>;
  const providers = {} as Record<GraphKey, ProviderName>;
  const warm = GRAPH_KEYS.filter((key): key is WarmGraph => key !== ON_DEMAND_GRAPH);
  try {
    for (const [index, key] of warm.entries()) {
      onGraph?.(key, index, warm.length);
      const created = await createSessionWithFallback(
        pack.files[key],
        order,
        threads,
        attempts,
        memoryPolicy(key, pack.precision[key]),
      );
      sessions[key] = created.session;
      providers[key] = created.provider;
    }
    // Tried first, when it is opened, on the provider the codec decoder got.
    providers[ON_DEMAND_GRAPH] = providers.codecDecode;
  } catch (error) {
    await Promise.allSettled(Object.values(sessions).map((s) => s?.release()));
    throw error;
  }
  // The draft runs beside the decoder it drafts for, on the same provider.
  const draftFile = pack.draftFile;
  const draftOrder = preferring(providers.arDecoder, order);
  const openDraft = draftFile
    ? async () => (await createSessionWithFallback(draftFile, draftOrder, threads, [], STEP_MEMORY)).session
    : undefined;
  return {
    pack,
    sessions: sessions as Record<WarmGraph, OrtSession>,
    ...(openDraft ? { openDraft } : {}),
    providers,
    attempts,
    threads,
    order,
  };
}

/** `order` with `first` moved to the front: a graph opened later tries the provider its sibling got first. */
function preferring(first: ProviderName, order: ProviderName[]): ProviderName[] {
  return [first, ...order.filter((p) => p !== first)];
}

/** Runs `use` with a session from `open`, then releases it, whatever `use` did. */
export async function withSession<T>(
  open: () => Promise<OrtSession>,
  use: (session: OrtSession) => Promise<T>,
): Promise<T> {
  const session = await open();
  try {
    return await use(session);
  } finally {
    await session.release();
  }
}

/** Runs `use` with a session of the on-demand graph (its provider first, then the pack's order), then releases it. */
export function withOnDemandSession<T>(loaded: PackSessions, use: (session: OrtSession) => Promise<T>): Promise<T> {
  const provider = loaded.providers[ON_DEMAND_GRAPH];
  const order = preferring(provider, loaded.order);
  const open = async () =>
    (
      await createSessionWithFallback(
        loaded.pack.files[ON_DEMAND_GRAPH],
        order,
        loaded.threads,
        [],
        memoryPolicy(ON_DEMAND_GRAPH, loaded.pack.precision[ON_DEMAND_GRAPH]),
      )
    ).session;
  return withSession(open, use);
}

export async function releasePackSessions(loaded: PackSessions): Promise<void> {
  await Promise.allSettled(Object.values(loaded.sessions).map((s) => s.release()));
}
