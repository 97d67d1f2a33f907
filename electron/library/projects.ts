import { randomUUID } from 'node:crypto';
import { StudioFailure } from '../shared/failure';
import { cleanTitle } from '../shared/untrusted-text';
import type { Library } from './library';
import { toPiece, toProject, type Json, type PieceRecord, type ProjectRecord } from './records';

export function createProject(lib: Library, name: string): ProjectRecord {
  const trimmed = name.trim();
  if (!trimmed) throw new StudioFailure('invalid-argument', 'a project needs a name');
  const now = Date.now();
  const id = randomUUID();
  lib.db
    .prepare('INSERT INTO projects (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)')
    .run(id, trimmed, now, now);
  return { id, name: trimmed, createdAt: now, updatedAt: now };
}

export function listProjects(lib: Library): ProjectRecord[] {
  return lib.db
    .prepare('SELECT * FROM projects ORDER BY updated_at DESC')
    .all()
    .map((r) => toProject(r as Json));
}

export function getProject(lib: Library, id: string): ProjectRecord {
  const row = lib.db.prepare('SELECT * FROM projects WHERE id = ?').get(id);
  if (!row) throw new StudioFailure('not-found', `no project ${id}; list them with "midi-valle library projects"`);
  return toProject(row as Json);
}

/** Removes a project with its pieces, renders, segments and takes (blobs go at the next gc). */
export function removeProject(lib: Library, id: string): void {
  getProject(lib, id);
  lib.write(() => lib.db.prepare('DELETE FROM projects WHERE id = ?').run(id));
}

export interface NewPiece {
  title: string;
  composer?: string | null;
  playedBy?: string | null;
  midi: Uint8Array; // the source MIDI file, stored as given
  midiName?: string | null;
  stats?: Json; // what the MIDI import measured (notes, duration, pedals, warnings)
}

/** Adds a piece to a project. The services parse and validate the MIDI first; this only stores it. */
export function addPiece(lib: Library, projectId: string, piece: NewPiece): PieceRecord {
  // Titles often come from the MIDI file itself: stored without control characters.
  const title = cleanTitle(piece.title);
  if (!title) throw new StudioFailure('invalid-argument', 'a piece needs a title');
  const midiHash = lib.putBlob(piece.midi);
  const now = Date.now();
  const record: PieceRecord = {
    id: randomUUID(),
    projectId,
    title,
    composer: piece.composer == null ? null : cleanTitle(piece.composer),
    playedBy: piece.playedBy == null ? null : cleanTitle(piece.playedBy),
    midiHash,
    midiName: piece.midiName ?? null,
    stats: piece.stats ?? {},
    createdAt: now,
  };
  lib.write(() => {
    getProject(lib, projectId);
    lib.db
      .prepare(
        `INSERT INTO pieces (id, project_id, title, composer, played_by, midi_hash, midi_name, stats_json, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.id,
        projectId,
        record.title,
        record.composer,
        record.playedBy,
        midiHash,
        record.midiName,
        JSON.stringify(record.stats),
        now,
      );
    lib.db.prepare('UPDATE projects SET updated_at = ? WHERE id = ?').run(now, projectId);
  });
  return record;
}

export function listPieces(lib: Library, projectId: string): PieceRecord[] {
  return lib.db
    .prepare('SELECT * FROM pieces WHERE project_id = ? ORDER BY created_at, rowid')
    .all(projectId)
    .map((r) => toPiece(r as Json));
}

export function getPiece(lib: Library, id: string): PieceRecord {
  const row = lib.db.prepare('SELECT * FROM pieces WHERE id = ?').get(id);
  if (!row) throw new StudioFailure('not-found', `no piece ${id}`);
  return toPiece(row as Json);
}

/** The piece already holding exactly these MIDI bytes (by content hash), if any: re-imports open it. */
export function findPieceByMidiHash(lib: Library, midiHash: string): PieceRecord | undefined {
  const row = lib.db
    .prepare('SELECT * FROM pieces WHERE midi_hash = ? ORDER BY created_at, rowid LIMIT 1')
    .get(midiHash);
  return row ? toPiece(row as Json) : undefined;
}

export function removePiece(lib: Library, id: string): void {
  getPiece(lib, id);
  lib.write(() => lib.db.prepare('DELETE FROM pieces WHERE id = ?').run(id));
}
