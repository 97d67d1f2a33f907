import { randomUUID } from 'node:crypto';
import type { Library } from './library';
import type { Json } from './records';

export interface ExportedFile {
  path: string;
  bytes: number;
  sha256?: string;
  format?: string;
}

export interface ExportRecord {
  id: string;
  projectId: string | null;
  renderId: string | null;
  kind: 'audio' | 'bundle';
  settings: Json;
  files: ExportedFile[];
  createdAt: number;
}

/** Remembers an export the user made (audio files or a bundle), so the UI can list and reveal them. */
export function recordExport(
  lib: Library,
  input: {
    projectId?: string | null;
    renderId?: string | null;
    kind: 'audio' | 'bundle';
    settings?: Json;
    files: ExportedFile[];
  },
): ExportRecord {
  const record: ExportRecord = {
    id: randomUUID(),
    projectId: input.projectId ?? null,
    renderId: input.renderId ?? null,
    kind: input.kind,
    settings: input.settings ?? {},
    files: input.files,
    createdAt: Date.now(),
  };
  lib.write(() =>
    lib.db
      .prepare(
        'INSERT INTO exports (id, project_id, render_id, kind, settings_json, files_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        record.id,
        record.projectId,
        record.renderId,
        record.kind,
        JSON.stringify(record.settings),
        JSON.stringify(record.files),
        record.createdAt,
      ),
  );
  return record;
}

export function listExports(lib: Library, filter: { projectId?: string; renderId?: string } = {}): ExportRecord[] {
  const rows = lib.db
    .prepare(
      `SELECT * FROM exports WHERE (@project IS NULL OR project_id = @project) AND (@render IS NULL OR render_id = @render)
       ORDER BY created_at DESC, rowid DESC`,
    )
    .all({ project: filter.projectId ?? null, render: filter.renderId ?? null }) as Json[];
  return rows.map((r) => ({
    id: String(r.id),
    projectId: (r.project_id as string | null) ?? null,
    renderId: (r.render_id as string | null) ?? null,
    kind: r.kind as 'audio' | 'bundle',
    settings: JSON.parse(String(r.settings_json)) as Json,
    files: JSON.parse(String(r.files_json)) as ExportedFile[],
    createdAt: Number(r.created_at),
  }));
}
