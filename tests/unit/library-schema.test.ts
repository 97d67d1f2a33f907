import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  DATABASE_FILE,
  MIGRATIONS,
  SCHEMA_VERSION,
  listPieces,
  listRenders,
  listTakes,
  openLibrary,
  schemaVersion,
  checkLibrary,
} from '../../electron/library';
import { migrate } from '../../electron/library/migrate';
import { fixtureSegments, sineWav, tempHome } from './library-fixtures';
import { sha256Hex } from '../../electron/library/blobs';
import { BlobStore } from '../../electron/library/blobs';

/**
 * Builds a library at schema `version` holding one of everything, written with the SQL of that
 * version (so the data is what an older app really wrote), blobs included.
 */
function buildOldLibrary(version: number): string {
  const home = tempHome(`v${version}`);
  const db = new Database(join(home, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  migrate(db, join(home, DATABASE_FILE), false, version);
  const blobs = new BlobStore(join(home, 'blobs'));
  const midi = blobs.put(new TextEncoder().encode('MThd fake midi for the migration test'));
  const audio = blobs.put(sineWav(440, 0.05));
  const now = Date.now();
  db.prepare(`INSERT INTO projects VALUES ('p1', 'Old project', ?, ?)`).run(now, now);
  db.prepare(
    `INSERT INTO pieces (id, project_id, title, midi_hash, stats_json, created_at) VALUES ('pc1', 'p1', 'Old piece', ?, '{"notes":3}', ?)`,
  ).run(midi, now);
  db.prepare(
    `INSERT INTO performers (id, name, prompt_audio_hash, prompt_audio_format, prompt_sample_rate, prompt_channels, prompt_duration,
       prompt_midi_hash, licence, consent, created_at) VALUES ('f1', 'Old performer', ?, 'wav', 8000, 1, 3, ?, 'CC0', 'self', ?)`,
  ).run(audio, midi, now);
  db.prepare(
    `INSERT INTO renders (id, piece_id, performer_id, engine, pack_id, pack_version, seed, status, created_at)
     VALUES ('r1', 'pc1', 'f1', 'neural', 'pack', '1', 7, 'done', ?)`,
  ).run(now);
  const seg = fixtureSegments(2, midi);
  for (const s of seg)
    db.prepare(`INSERT INTO segments (render_id, idx, start_s, end_s, tokens_hash) VALUES ('r1', ?, ?, ?, ?)`).run(
      s.index,
      s.start,
      s.end,
      s.tokensHash,
    );
  const segmentIds = db.prepare(`SELECT id FROM segments ORDER BY idx`).pluck().all() as number[];
  segmentIds.forEach((id, i) =>
    db
      .prepare(
        `INSERT INTO takes (id, segment_id, seed, cache_key, audio_hash, audio_format, sample_rate, channels, duration, chosen, created_at)
         VALUES (?, ?, 7, ?, ?, 'wav', 8000, 1, 0.05, 1, ?)`,
      )
      .run(`t${i}`, id, `key${i}`, audio, now),
  );
  db.close();
  return home;
}

describe('library schema and migrations', () => {
  it('creates a fresh library at the current schema with WAL, FULL sync, foreign keys and STRICT tables', () => {
    const home = tempHome();
    const lib = openLibrary(home);
    expect(schemaVersion(lib.db)).toBe(SCHEMA_VERSION);
    expect(lib.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(lib.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(lib.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = lib.db
      .prepare(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'`)
      .all() as Array<{ name: string; strict: number }>;
    expect(tables.map((t) => t.name).sort()).toEqual(
      [
        'exports',
        'job_segments',
        'jobs',
        'performer_profiles',
        'performer_prompt_codes',
        'performers',
        'pieces',
        'projects',
        'renders',
        'segments',
        'takes',
        'work_pieces',
        'works',
        'trash',
        'trash_blobs',
      ].sort(),
    );
    expect(tables.every((t) => t.strict === 1)).toBe(true);
    // STRICT refuses a value of the wrong type instead of storing it
    expect(() => lib.db.prepare(`INSERT INTO projects VALUES ('x', 'n', 'not a time', 1)`).run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
    expect(lib.backupPath).toBeUndefined();
    lib.close();
  });

  it('numbers migrations 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  for (let version = 1; version < SCHEMA_VERSION; version++) {
    it(`migrates a library with data from schema ${version}, keeping a backup`, () => {
      const home = buildOldLibrary(version);
      const lib = openLibrary(home);
      expect(schemaVersion(lib.db)).toBe(SCHEMA_VERSION);
      expect(lib.backupPath && existsSync(lib.backupPath)).toBeTruthy();
      const backup = new Database(lib.backupPath!, { readonly: true });
      expect(backup.pragma('user_version', { simple: true })).toBe(version);
      expect(backup.prepare('SELECT count(*) FROM takes').pluck().get()).toBe(2);
      backup.close();

      const pieces = listPieces(lib, 'p1');
      expect(pieces.map((p) => [p.title, p.stats])).toEqual([['Old piece', { notes: 3 }]]);
      const renders = listRenders(lib);
      expect(renders).toHaveLength(1);
      expect(renders[0]!.performerName).toBe('Old performer');
      const takes = listTakes(lib, 'r1');
      expect(takes.map((t) => [t.segmentIndex, t.chosen, t.loudnessLufs, t.peaksHash])).toEqual([
        [0, true, null, null],
        [1, true, null, null],
      ]);
      // the columns and table schema 2 added are usable on migrated data
      lib.db.prepare(`UPDATE takes SET loudness_lufs = -23.5 WHERE id = 't0'`).run();
      expect(listTakes(lib, 'r1', 0)[0]!.loudnessLufs).toBe(-23.5);
      lib.db.prepare(`INSERT INTO exports (id, project_id, kind, created_at) VALUES ('e1', 'p1', 'audio', 1)`).run();
      expect(checkLibrary(lib).problems).toEqual([]);
      lib.close();

      // a second open has nothing to migrate and makes no new backup
      const again = openLibrary(home);
      expect(again.backupPath).toBeUndefined();
      expect(readdirSync(home).filter((f) => f.endsWith('.bak'))).toHaveLength(1);
      again.close();
    });
  }

  it('refuses a library written by a newer app, with a message saying so, and leaves it untouched', () => {
    const home = tempHome();
    openLibrary(home).close();
    const db = new Database(join(home, DATABASE_FILE));
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => openLibrary(home)).toThrow(
      /written by a newer MIDI-VALLE Studio \(schema \d+, this app knows up to \d+\); update the app/,
    );
    const check = new Database(join(home, DATABASE_FILE), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    check.close();
  });

  it('stores blobs content-addressed under blobs/ab/cdef…', () => {
    const home = tempHome();
    const lib = openLibrary(home);
    const bytes = sineWav(330, 0.02);
    const hash = lib.putBlob(bytes);
    expect(hash).toBe(sha256Hex(bytes));
    expect(lib.blobPath(hash)).toBe(join(home, 'blobs', hash.slice(0, 2), hash.slice(2)));
    expect(Buffer.from(lib.getBlob(hash)).equals(Buffer.from(bytes))).toBe(true);
    expect(lib.putBlob(bytes)).toBe(hash);
    // a damaged copy (same size, other bytes) is replaced when the bytes are put again
    writeFileSync(lib.blobPath(hash), new Uint8Array(bytes.byteLength));
    expect(lib.putBlob(bytes)).toBe(hash);
    expect(sha256Hex(readFileSync(lib.blobPath(hash)))).toBe(hash);
    expect(readdirSync(join(home, 'blobs', 'tmp'))).toEqual([]);
    expect(() => lib.getBlob('0'.repeat(64))).toThrow(/missing from the library/);
    expect(() => lib.blobPath('../../etc/passwd')).toThrow(/not a blob hash/);
    lib.close();
  });
});
