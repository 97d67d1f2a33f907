import type { Library } from '../library';
import type { EventHub } from './events';

/** Once a second is enough to show another process's change within 2 s, and costs nothing idle. */
export const FOLLOW_INTERVAL_MS = 1000;

/**
 * Follows changes other processes (the CLI, a second window's services) commit to the library:
 * SQLite's `PRAGMA data_version` changes on this connection exactly when another connection has
 * committed, so our own writes (which already announce themselves) raise nothing. One cheap pragma
 * a second, on an unref'd timer that never keeps a process alive.
 */
export function followLibrary(
  library: () => Library | undefined,
  events: EventHub,
  intervalMs = FOLLOW_INTERVAL_MS,
): { stop(): void; check(): boolean } {
  let last: number | undefined;
  const check = (): boolean => {
    const lib = library();
    if (!lib || !lib.db.open) {
      last = undefined;
      return false;
    }
    let version: number;
    try {
      version = lib.db.pragma('data_version', { simple: true }) as number;
    } catch {
      return false; // closing meanwhile
    }
    const changed = last !== undefined && version !== last;
    last = version;
    if (changed) {
      // the pragma says something changed, not what: every list refetches (a few small queries)
      for (const what of ['pieces', 'performers', 'renders', 'trash'] as const)
        events.emit({ type: 'library.changed', what });
    }
    return changed;
  };
  const timer = setInterval(check, intervalMs);
  timer.unref?.();
  return { stop: () => clearInterval(timer), check };
}
