// The neural engine is started, and the chosen pack loaded, as soon as a pack is chosen: loading takes
// seconds (tens without a cache), and it then happens while the user picks a performer and a seed rather
// than after Render is pressed. Once a performer is chosen too, its prompt is encoded for the pack (once:
// the library keeps the codes), so the first Render with a new performer does not wait for the codec
// encoder either. A failure shows here, before any render is started.
import { call, errorText } from '../api';

export type WarmupState =
  | { packId: string; performerId?: string; status: 'loading' }
  | { packId: string; performerId?: string; status: 'ready'; provider: string }
  | { packId: string; performerId?: string; status: 'failed'; message: string };

class EngineWarmup {
  state = $state<WarmupState | undefined>();

  /** Loads `packId` (and encodes the performer's prompt) unless already done or under way; the latest choice wins. */
  prepare(packId: string, performerId?: string): void {
    const current = (): boolean => this.state?.packId === packId && this.state.performerId === performerId;
    if (current() && this.state?.status !== 'failed') return;
    const state = { packId, ...(performerId ? { performerId } : {}) };
    this.state = { ...state, status: 'loading' };
    call('packs.prepare', { id: packId, ...(performerId ? { performerId } : {}) }).then(
      (ready) => {
        if (current()) this.state = { ...state, status: 'ready', provider: ready.provider };
      },
      (error: unknown) => {
        if (current()) this.state = { ...state, status: 'failed', message: errorText(error) };
      },
    );
  }
}

export const engineWarmup = new EngineWarmup();
