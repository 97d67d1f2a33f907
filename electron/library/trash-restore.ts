import { StudioFailure } from '../shared/failure';
import type { Library } from './library';
import { marks, TABLE_ORDER, toEntry, type Row, type Snapshot, type Table, type TrashEntry } from './trash';

// Restoring from the trash: the snapshot's rows go back parents first, links that were cleared on
// delete are set again, and anything in the way is one 'conflict' message saying what to do.

export interface RestoreResult extends TrashEntry {
  /** The render whose takes changed (a restored take), so the services can rebuild its mix. */
  renderId: string | null;
}

function insertRows(lib: Library, table: Table, rows: Row[], segmentIds: Map<number, number>): void {
  for (const original of rows) {
    const row = { ...original };
    if ('segment_id' in row && segmentIds.has(Number(row.segment_id)))
      row.segment_id = segmentIds.get(Number(row.segment_id));
    if (table === 'segments') {
      // a newer segment may have taken the old integer id: let SQLite pick one and remap children
      const taken = lib.db.prepare('SELECT 1 FROM segments WHERE id = ?').get(row.id);
      if (taken) {
        const oldId = Number(row.id);
        delete row.id;
        const cols = Object.keys(row);
        const info = lib.db
          .prepare(`INSERT INTO segments (${cols.join(', ')}) VALUES (${marks(cols)})`)
          .run(...cols.map((c) => row[c]));
        segmentIds.set(oldId, Number(info.lastInsertRowid));
        continue;
      }
    }
    const cols = Object.keys(row);
    lib.db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${marks(cols)})`).run(...cols.map((c) => row[c]));
  }
}

/** What must exist again before a snapshot can go back, as one 'conflict' message. */
function checkRestorable(lib: Library, entry: TrashEntry, snapshot: Snapshot): void {
  const exists = (table: string, id: unknown): boolean =>
    Boolean(lib.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id));
  const problems: string[] = [];
  for (const p of snapshot.rows.pieces ?? []) {
    if (!exists('projects', p.project_id)) problems.push(`its project ${String(p.project_id)} is gone`);
    // one piece per MIDI content: a re-import since the deletion holds it now
    const same = lib.db.prepare('SELECT title FROM pieces WHERE midi_hash = ?').pluck().get(p.midi_hash);
    if (same) problems.push(`the same MIDI is in the library again as "${String(same)}"; delete that piece first`);
  }
  for (const f of snapshot.rows.performers ?? []) {
    if (lib.db.prepare('SELECT 1 FROM performers WHERE name = ? COLLATE NOCASE').get(f.name))
      problems.push(`a performer named "${String(f.name)}" exists now; rename it first`);
  }
  const restoringPieces = new Set((snapshot.rows.pieces ?? []).map((p) => p.id));
  const restoringPerformers = new Set((snapshot.rows.performers ?? []).map((p) => p.id));
  for (const r of snapshot.rows.renders ?? []) {
    if (!restoringPieces.has(r.piece_id) && !exists('pieces', r.piece_id))
      problems.push(`its piece is in the trash or gone; restore the piece first`);
    if (r.performer_id && !restoringPerformers.has(r.performer_id) && !exists('performers', r.performer_id))
      problems.push(`its performer is in the trash or gone; restore the performer first`);
  }
  if (entry.kind === 'take') {
    for (const t of snapshot.rows.takes ?? [])
      if (!lib.db.prepare('SELECT 1 FROM segments WHERE id = ?').get(t.segment_id))
        problems.push('its render is in the trash or gone; restore the render first');
  }
  const missing = (
    lib.db.prepare('SELECT hash FROM trash_blobs WHERE trash_id = ?').pluck().all(entry.id) as string[]
  ).filter((h) => !lib.blobs.has(h));
  if (missing.length) problems.push(`${missing.length} of its blob(s) are missing; run "midi-valle library check"`);
  if (problems.length)
    throw new StudioFailure(
      'conflict',
      `cannot restore ${entry.kind} "${entry.label}": ${[...new Set(problems)].join('; ')}`,
    );
}

/** Puts a trashed item back (the newest deletion when no id is given) and removes it from the trash. */
export function restoreTrash(lib: Library, trashId?: string): RestoreResult {
  return lib.write(() => {
    const row = (
      trashId
        ? lib.db.prepare('SELECT * FROM trash WHERE id = ?').get(trashId)
        : lib.db.prepare('SELECT * FROM trash ORDER BY deleted_at DESC, rowid DESC LIMIT 1').get()
    ) as Row | undefined;
    if (!row)
      throw new StudioFailure(
        'not-found',
        trashId ? `nothing in the trash has id ${trashId}; see "midi-valle trash list"` : 'the trash is empty',
      );
    const entry = toEntry(row);
    const snapshot = JSON.parse(String(row.rows_json)) as Snapshot;
    checkRestorable(lib, entry, snapshot);
    let renderId: string | null = null;
    if (entry.kind === 'take' && snapshot.wasChosen) {
      // undo means the segment plays this take again
      for (const t of snapshot.rows.takes ?? [])
        lib.db.prepare('UPDATE takes SET chosen = 0 WHERE segment_id = ?').run(t.segment_id);
    }
    const segmentIds = new Map<number, number>();
    for (const table of TABLE_ORDER) insertRows(lib, table, snapshot.rows[table] ?? [], segmentIds);
    for (const link of snapshot.exportLinks)
      lib.db.prepare('UPDATE exports SET render_id = ? WHERE id = ? AND render_id IS NULL').run(link.renderId, link.id);
    for (const link of snapshot.takeLinks)
      lib.db
        .prepare('UPDATE job_segments SET take_id = ? WHERE job_id = ? AND segment_id = ?')
        .run(entry.itemId, link.jobId, link.segmentId);
    if (entry.kind === 'take')
      renderId = lib.db
        .prepare('SELECT s.render_id FROM takes t JOIN segments s ON s.id = t.segment_id WHERE t.id = ?')
        .pluck()
        .get(entry.itemId) as string;
    lib.db.prepare('DELETE FROM trash WHERE id = ?').run(entry.id);
    return { ...entry, renderId };
  });
}
