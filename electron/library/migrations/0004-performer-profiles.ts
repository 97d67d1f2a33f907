import type { Database } from 'better-sqlite3';

// The performer profile the sampled grand plays through (tone, room, touch; see electron/audio/match).
// One row per performer; `format` says which fit made it, so a newer app refits older rows lazily,
// and `version` (a hash of the numbers) goes into render cache keys.
export function migration0004(db: Database): void {
  db.exec(`
    CREATE TABLE performer_profiles (
      performer_id TEXT PRIMARY KEY REFERENCES performers(id) ON DELETE CASCADE,
      format INTEGER NOT NULL,
      version TEXT NOT NULL,
      profile_json TEXT NOT NULL,
      low_confidence INTEGER NOT NULL DEFAULT 0 CHECK (low_confidence IN (0, 1)),
      created_at INTEGER NOT NULL
    ) STRICT;
  `);
}
