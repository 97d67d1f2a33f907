// The neural engine is started, and the chosen pack loaded, as soon as a pack is chosen: loading takes
// seconds (tens without a cache), and it then happens while the user picks a performer and a seed rather
// than after Render is pressed. A failure shows here, before any render is started.
import { call, errorText } from '../api';

export type WarmupState =
  | { packId: string; status: 'loading' }
  | { packId: string; status: 'ready'; provider: string }
  | { packId: string; status: 'failed'; message: string };

class EngineWarmup {
  state = $state<WarmupState | undefined>();

  /** Loads `packId` unless it is already loaded or loading; the latest choice wins. */
  prepare(packId: string): void {
    if (this.state?.packId === packId && this.state.status !== 'failed') return;
    this.state = { packId, status: 'loading' };
    call('packs.prepare', { id: packId }).then(
      (ready) => {
        if (this.state?.packId === packId) this.state = { packId, status: 'ready', provider: ready.provider };
      },
      (error: unknown) => {
        if (this.state?.packId === packId) this.state = { packId, status: 'failed', message: errorText(error) };
      },
    );
  }
}

export const engineWarmup = new EngineWarmup();
