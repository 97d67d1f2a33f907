import type { Database } from 'better-sqlite3';

// Works: several performances (pieces) of one musical work, with an optional score (also a piece, so
// its MIDI is stored, counted and collected like any other). Alignments are not stored: they take
// milliseconds to compute from the pieces' MIDI.
export function migration0005(db: Database): void {
  db.exec(`
    CREATE TABLE works (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      composer TEXT,
      score_piece_id TEXT REFERENCES pieces(id) ON DELETE SET NULL,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE work_pieces (
      work_id TEXT NOT NULL REFERENCES works(id) ON DELETE CASCADE,
      piece_id TEXT NOT NULL REFERENCES pieces(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      added_at INTEGER NOT NULL,
      PRIMARY KEY (work_id, piece_id)
    ) STRICT;
    CREATE INDEX work_pieces_piece ON work_pieces(piece_id);
  `);
}
