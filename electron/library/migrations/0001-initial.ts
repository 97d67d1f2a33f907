import type { Database } from 'better-sqlite3';

// The first schema. Never edit it once released: later changes go in a new numbered file.
// Blobs (MIDI, audio, codes) live in the content-addressed store; rows hold their sha256 hex.
export function migration0001(db: Database): void {
  db.exec(`
    CREATE TABLE projects (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE pieces (
      id TEXT PRIMARY KEY,
      project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      title TEXT NOT NULL,
      composer TEXT,
      played_by TEXT,
      midi_hash TEXT NOT NULL,
      midi_name TEXT,
      stats_json TEXT NOT NULL DEFAULT '{}',
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX pieces_project ON pieces(project_id);

    CREATE TABLE performers (
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
      consent TEXT NOT NULL CHECK (consent IN ('self', 'granted', 'public-domain', 'demo')),
      consent_by TEXT,
      consent_at INTEGER,
      notes TEXT NOT NULL DEFAULT '',
      demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE performer_prompt_codes (
      performer_id TEXT NOT NULL REFERENCES performers(id) ON DELETE CASCADE,
      pack_id TEXT NOT NULL,
      pack_version TEXT NOT NULL,
      codes_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (performer_id, pack_id, pack_version)
    ) STRICT;

    CREATE TABLE renders (
      id TEXT PRIMARY KEY,
      piece_id TEXT NOT NULL REFERENCES pieces(id) ON DELETE CASCADE,
      performer_id TEXT REFERENCES performers(id) ON DELETE RESTRICT,
      engine TEXT NOT NULL CHECK (engine IN ('sampler', 'neural')),
      pack_id TEXT NOT NULL,
      pack_version TEXT NOT NULL,
      params_json TEXT NOT NULL DEFAULT '{}',
      seed INTEGER NOT NULL,
      device TEXT,
      status TEXT NOT NULL CHECK (status IN ('queued', 'rendering', 'done', 'failed', 'cancelled', 'interrupted')),
      error TEXT,
      created_at INTEGER NOT NULL,
      started_at INTEGER,
      finished_at INTEGER
    ) STRICT;
    CREATE INDEX renders_piece ON renders(piece_id);
    CREATE INDEX renders_performer ON renders(performer_id);

    CREATE TABLE segments (
      id INTEGER PRIMARY KEY,
      render_id TEXT NOT NULL REFERENCES renders(id) ON DELETE CASCADE,
      idx INTEGER NOT NULL,
      start_s REAL NOT NULL,
      end_s REAL NOT NULL,
      tokens_hash TEXT NOT NULL,
      UNIQUE (render_id, idx)
    ) STRICT;

    CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      render_id TEXT REFERENCES renders(id) ON DELETE CASCADE,
      status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
      total INTEGER NOT NULL DEFAULT 0,
      done INTEGER NOT NULL DEFAULT 0,
      options_json TEXT NOT NULL DEFAULT '{}',
      error TEXT,
      owner_pid INTEGER,
      created_at INTEGER NOT NULL,
      started_at INTEGER,
      finished_at INTEGER,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX jobs_status ON jobs(status);

    CREATE TABLE takes (
      id TEXT PRIMARY KEY,
      segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
      job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL,
      seed INTEGER NOT NULL,
      params_json TEXT NOT NULL DEFAULT '{}',
      cache_key TEXT NOT NULL,
      audio_hash TEXT NOT NULL,
      audio_format TEXT NOT NULL,
      codes_hash TEXT,
      sample_rate INTEGER NOT NULL,
      channels INTEGER NOT NULL,
      duration REAL NOT NULL,
      chosen INTEGER NOT NULL DEFAULT 0 CHECK (chosen IN (0, 1)),
      locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX takes_segment ON takes(segment_id);
    CREATE INDEX takes_cache_key ON takes(cache_key);
    CREATE INDEX takes_job ON takes(job_id);
    CREATE UNIQUE INDEX takes_one_chosen ON takes(segment_id) WHERE chosen = 1;

    CREATE TABLE job_segments (
      job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
      segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
      status TEXT NOT NULL CHECK (status IN ('pending', 'done')),
      take_id TEXT REFERENCES takes(id) ON DELETE SET NULL,
      PRIMARY KEY (job_id, segment_id)
    ) STRICT;
  `);
}
