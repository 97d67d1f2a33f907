import { randomUUID } from 'node:crypto';
import { StudioFailure } from '../contract/result';
import type { Library } from './library';
import type { Json } from './records';

export interface ExportRecord {
  id: string;
  renderId: string | null;
  kind: 'audio' | 'bundle';
  settings: Json;
  files: Array<{ name: string; path: string; bytes: number; duration: number }>;
  createdAt: number;
}

/** Records an export once its files are written, so the user can find them again. */
export function recordExport(
  lib: Library,
  input: Omit<ExportRecord, 'id' | 'createdAt'> & { id?: string },
): ExportRecord {
  const record: ExportRecord = { ...input, id: input.id ?? randomUUID(), createdAt: Date.now() };
  lib.write(() =>
    lib.db
      .prepare(
        `INSERT INTO exports (id, project_id, render_id, kind, settings_json, files_json, created_at)
         VALUES (?, (SELECT p.project_id FROM renders r JOIN pieces p ON p.id = r.piece_id WHERE r.id = ?), ?, ?, ?, ?, ?)`,
      )
      .run(
        record.id,
        record.renderId,
        record.renderId,
        record.kind,
        JSON.stringify(record.settings),
        JSON.stringify(record.files),
        record.createdAt,
      ),
  );
  return record;
}

export function getExport(lib: Library, id: string): ExportRecord {
  const row = lib.db.prepare('SELECT * FROM exports WHERE id = ?').get(id) as Record<string, unknown> | undefined;
  if (!row) throw new StudioFailure('not-found', `no export ${id}`);
  return {
    id: String(row.id),
    renderId: (row.render_id as string | null) ?? null,
    kind: row.kind as ExportRecord['kind'],
    settings: JSON.parse(String(row.settings_json)) as Json,
    files: JSON.parse(String(row.files_json)) as ExportRecord['files'],
    createdAt: Number(row.created_at),
  };
}

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

/** Segment indices a job still has to render, in order (for batching ahead). */
export function pendingSegmentIndices(lib: Library, jobId: string): number[] {
  return lib.db
    .prepare(
      `SELECT s.idx FROM job_segments js JOIN segments s ON s.id = js.segment_id
       WHERE js.job_id = ? AND js.status = 'pending' ORDER BY s.idx`,
    )
    .pluck()
    .all(jobId) as number[];
}
