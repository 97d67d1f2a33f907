import type { Database } from 'better-sqlite3';

// Library management (issue 15):
// - a trash: a deleted piece, performer, render or take is kept as a snapshot of its rows (with the
//   rows that depended on it) until the trash is emptied; trash_blobs names every blob a snapshot
//   needs, so garbage collection keeps them and a restore finds its audio and MIDI again;
// - renders get an optional name (they are otherwise labelled by piece, performer and date);
// - performers record who made the prompt recording, and consent may be 'refused' (the person who
//   added it said the performer does not consent): consent is stored as given, never guessed.
//   SQLite cannot change a CHECK constraint in place, so the performers table is rebuilt (the
//   migrator runs this one with foreign-key enforcement off, as SQLite's ALTER TABLE docs prescribe).
export function migration0006(db: Database): void {
  db.exec(`
    CREATE TABLE trash (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('piece', 'performer', 'render', 'take')),
      item_id TEXT NOT NULL,
      label TEXT NOT NULL,
      summary TEXT NOT NULL DEFAULT '',
      rows_json TEXT NOT NULL,
      deleted_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX trash_deleted ON trash(deleted_at);

    CREATE TABLE trash_blobs (
      trash_id TEXT NOT NULL REFERENCES trash(id) ON DELETE CASCADE,
      hash TEXT NOT NULL,
      PRIMARY KEY (trash_id, hash)
    ) STRICT;

    ALTER TABLE renders ADD COLUMN name TEXT;

    CREATE TABLE performers_new (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      prompt_audio_hash TEXT NOT NULL,
      prompt_audio_format TEXT NOT NULL,
      prompt_sample_rate INTEGER NOT NULL,
      prompt_channels INTEGER NOT NULL,
      prompt_duration REAL NOT NULL,
      prompt_midi_hash TEXT NOT NULL,
      prompt_tokens_hash TEXT,
      tag_piano TEXT,
      tag_room TEXT,
      tag_source TEXT,
      licence TEXT NOT NULL,
      consent TEXT NOT NULL CHECK (consent IN ('self', 'granted', 'refused', 'public-domain', 'demo')),
      consent_by TEXT,
      consent_at INTEGER,
      notes TEXT NOT NULL DEFAULT '',
      demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
      created_at INTEGER NOT NULL,
      recorded_by TEXT
    ) STRICT;
    INSERT INTO performers_new (id, name, prompt_audio_hash, prompt_audio_format, prompt_sample_rate, prompt_channels,
        prompt_duration, prompt_midi_hash, prompt_tokens_hash, tag_piano, tag_room, tag_source, licence, consent,
        consent_by, consent_at, notes, demo, created_at)
      SELECT id, name, prompt_audio_hash, prompt_audio_format, prompt_sample_rate, prompt_channels,
        prompt_duration, prompt_midi_hash, prompt_tokens_hash, tag_piano, tag_room, tag_source, licence, consent,
        consent_by, consent_at, notes, demo, created_at FROM performers;
    DROP TABLE performers;
    ALTER TABLE performers_new RENAME TO performers;
  `);
}
