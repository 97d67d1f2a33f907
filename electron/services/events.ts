import type { StudioEvent } from '../contract';

/** Fan-out of service events to every connected view (window, socket, CLI progress bar). */
export class EventHub {
  private readonly listeners = new Set<(event: StudioEvent) => void>();

  subscribe(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: StudioEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // one broken view must not stop the others from hearing the event
      }
    }
  }
}
