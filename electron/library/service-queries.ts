import { StudioFailure } from '../shared/failure';
import type { Library } from './library';

/** The render a take belongs to. */
export function renderIdOfTake(lib: Library, takeId: string): string {
  const id = lib.db
    .prepare('SELECT s.render_id FROM takes t JOIN segments s ON s.id = t.segment_id WHERE t.id = ?')
    .pluck()
    .get(takeId) as string | undefined;
  if (!id) throw new StudioFailure('not-found', `no take ${takeId}`);
  return id;
}

/** Records the device a render actually ran on (the engine may fall back from the one asked for). */
export function setRenderDevice(lib: Library, renderId: string, device: string): void {
  lib.write(() => lib.db.prepare('UPDATE renders SET device = ? WHERE id = ?').run(device, renderId));
}
