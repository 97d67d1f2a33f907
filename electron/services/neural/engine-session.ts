import { join } from 'node:path';
import { StudioFailure } from '../../contract';
import { EngineClient, type LoadedPackInfo, type ProviderName } from '../../engine';
import type { ServiceContext } from '../handlers';
import type { InstalledPack } from './pack-registry';
import type { DeviceChoice } from '../../shared/devices';

/** How a host starts the engine process: the app uses a utilityProcess, CLI and browser host a fork. */
export type EngineFactory = () => EngineClient;

interface Session {
  client: EngineClient;
  loaded?: { key: string; info: LoadedPackInfo };
  /** A load under way: a render that asks for the same pack meanwhile waits for it instead of loading twice. */
  loading?: Promise<LoadedPackInfo>;
}

const sessions = new WeakMap<ServiceContext, Session>();
let factory: EngineFactory = () => EngineClient.fork();

export function setEngineFactory(next: EngineFactory): void {
  factory = next;
}

const DEVICE_PROVIDERS: Record<DeviceChoice, ProviderName[] | undefined> = {
  auto: undefined,
  cpu: ['cpu'],
  cuda: ['cuda', 'cpu'],
  dml: ['dml', 'cpu'],
  coreml: ['coreml', 'cpu'],
  webgpu: ['webgpu', 'cpu'],
};

/** Where the engine process keeps what it learned about packs between launches (which passed their check). */
export const engineCacheDir = (home: string): string => join(home, 'engine-cache');

/** The engine process of this studio, started on first use and restarted if it died. */
function session(ctx: ServiceContext): Session {
  let s = sessions.get(ctx);
  if (!s) {
    const client = factory();
    s = { client };
    const own = s;
    client.onExit(() => {
      if (sessions.get(ctx) === own) sessions.delete(ctx);
    });
    sessions.set(ctx, s);
  }
  return s;
}

/** The engine with `pack` loaded on the chosen device (sessions stay warm between renders). */
export async function engineFor(
  ctx: ServiceContext,
  pack: InstalledPack,
  device?: DeviceChoice,
): Promise<{ client: EngineClient; info: LoadedPackInfo }> {
  const s = session(ctx);
  const choice = device ?? ctx.settings.get().device;
  const providers = DEVICE_PROVIDERS[choice];
  const threads = ctx.settings.get().threads ?? undefined;
  const key = `${pack.manifest.dir}|${choice}|${threads ?? ''}`;
  while (s.loaded?.key !== key) {
    if (s.loading) {
      // Another load (of this pack, or of another one to be replaced) finishes first.
      await s.loading.catch(() => undefined);
      continue;
    }
    const done = s.client
      .loadPack(
        pack.manifest.dir,
        {
          ...(providers ? { providers } : {}),
          ...(choice === 'webgpu' ? { allowWebgpu: true } : {}),
          ...(threads ? { threads } : {}),
        },
        { cacheDir: engineCacheDir(ctx.home) },
      )
      .then((info) => {
        if (choice !== 'auto' && choice !== 'cpu' && info.provider === 'cpu') {
          const why = info.attempts.find((a) => a.provider === choice)?.error ?? 'not available';
          throw new StudioFailure(
            'unavailable',
            `device ${choice} could not be used (${why}); choose --device auto or cpu`,
          );
        }
        s.loaded = { key, info };
        return info;
      })
      .finally(() => {
        if (s.loading === done) s.loading = undefined;
      });
    s.loading = done;
    await done;
  }
  return { client: s.client, info: s.loaded.info };
}

export function closeEngine(ctx: ServiceContext): void {
  sessions.get(ctx)?.client.close();
  sessions.delete(ctx);
}
