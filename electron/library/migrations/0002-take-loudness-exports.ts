import type { Database } from 'better-sqlite3';

// Loudness/peaks per take (the UI draws waveforms from stored peaks instead of decoding the whole
// take, and normalises playback by loudness) and a record of each export the user made.
export function migration0002(db: Database): void {
  db.exec(`
    ALTER TABLE takes ADD COLUMN loudness_lufs REAL;
    ALTER TABLE takes ADD COLUMN peak_dbfs REAL;
    ALTER TABLE takes ADD COLUMN peaks_hash TEXT;

    CREATE TABLE exports (
      id TEXT PRIMARY KEY,
      project_id TEXT REFERENCES projects(id) ON DELETE SET NULL,
      render_id TEXT REFERENCES renders(id) ON DELETE SET NULL,
      kind TEXT NOT NULL CHECK (kind IN ('audio', 'bundle')),
      settings_json TEXT NOT NULL DEFAULT '{}',
      files_json TEXT NOT NULL DEFAULT '[]',
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX exports_project ON exports(project_id);
  `);
}
