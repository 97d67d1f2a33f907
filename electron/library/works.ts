// Works: groups of pieces (performances of one musical work) with an optional score piece.
import { randomUUID } from 'node:crypto';
import { StudioFailure } from '../shared/failure';
import type { Library } from './library';
import { getPiece } from './projects';

export interface WorkRecord {
  id: string;
  title: string;
  composer: string | null;
  scorePieceId: string | null;
  /** Performances in the order they were added. */
  pieceIds: string[];
  createdAt: number;
}

interface WorkRow {
  id: string;
  title: string;
  composer: string | null;
  score_piece_id: string | null;
  created_at: number;
}

function pieceIdsOf(lib: Library, workId: string): string[] {
  return lib.db
    .prepare('SELECT piece_id FROM work_pieces WHERE work_id = ? ORDER BY position')
    .pluck()
    .all(workId) as string[];
}

const toWork = (lib: Library, row: WorkRow): WorkRecord => ({
  id: row.id,
  title: row.title,
  composer: row.composer,
  scorePieceId: row.score_piece_id,
  pieceIds: pieceIdsOf(lib, row.id),
  createdAt: row.created_at,
});

export function createWork(lib: Library, work: { title: string; composer?: string | null }): WorkRecord {
  const title = work.title.trim();
  if (!title) throw new StudioFailure('invalid-argument', 'a work needs a title');
  const id = randomUUID();
  const now = Date.now();
  const composer = work.composer?.trim() || null;
  lib.write(() =>
    lib.db
      .prepare('INSERT INTO works (id, title, composer, score_piece_id, created_at) VALUES (?, ?, ?, NULL, ?)')
      .run(id, title, composer, now),
  );
  return { id, title, composer, scorePieceId: null, pieceIds: [], createdAt: now };
}

export function listWorks(lib: Library): WorkRecord[] {
  const rows = lib.db.prepare('SELECT * FROM works ORDER BY created_at DESC, rowid DESC').all() as WorkRow[];
  return rows.map((row) => toWork(lib, row));
}

export function getWork(lib: Library, id: string): WorkRecord {
  const row = lib.db.prepare('SELECT * FROM works WHERE id = ?').get(id) as WorkRow | undefined;
  if (!row) throw new StudioFailure('not-found', `no work ${id}; list them with "midi-valle works list"`);
  return toWork(lib, row);
}

/**
 * Adds a piece to a work: as one of its performances, or as its score (replacing any score it had).
 * Adding a performance that is already there changes nothing.
 */
export function addPieceToWork(lib: Library, workId: string, pieceId: string, as: 'performance' | 'score'): WorkRecord {
  lib.write(() => {
    getWork(lib, workId);
    getPiece(lib, pieceId);
    if (as === 'score') {
      lib.db.prepare('UPDATE works SET score_piece_id = ? WHERE id = ?').run(pieceId, workId);
      lib.db.prepare('DELETE FROM work_pieces WHERE work_id = ? AND piece_id = ?').run(workId, pieceId);
      return;
    }
    const next = lib.db
      .prepare('SELECT coalesce(max(position), 0) + 1 FROM work_pieces WHERE work_id = ?')
      .pluck()
      .get(workId) as number;
    lib.db
      .prepare('INSERT OR IGNORE INTO work_pieces (work_id, piece_id, position, added_at) VALUES (?, ?, ?, ?)')
      .run(workId, pieceId, next, Date.now());
    lib.db.prepare('UPDATE works SET score_piece_id = NULL WHERE id = ? AND score_piece_id = ?').run(workId, pieceId);
  });
  return getWork(lib, workId);
}
