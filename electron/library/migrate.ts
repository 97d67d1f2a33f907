import type { Database } from 'better-sqlite3';
import { StudioFailure } from '../shared/failure';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to `target` (default: this app's schema), one migration a transaction that
 * also bumps user_version, so a crash leaves it at a whole version. Before touching a database
 * that already holds data, a `VACUUM INTO` copy goes beside it. Returns that backup's path.
 */
export function migrate(db: Database, file: string, existed: boolean, target = SCHEMA_VERSION): string | undefined {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new StudioFailure(
      'unavailable',
      `the library at ${file} was written by a newer MIDI-VALLE Studio (schema ${current}, this app knows up to ${SCHEMA_VERSION}); update the app`,
    );
  }
  const pending = MIGRATIONS.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return undefined;
  let backupPath: string | undefined;
  if (existed && current > 0) {
    backupPath = `${file}.v${current}-${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
    db.prepare('VACUUM INTO ?').run(backupPath);
  }
  for (const migration of pending) {
    // A table rebuild (new table, copy, drop, rename) must not cascade or restrict on the drop;
    // foreign_keys cannot change inside a transaction, so it is switched around it.
    const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
    if (migration.rebuildsTables && enforced) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        migration.up(db);
        // PRAGMA takes no bound parameters; the version is our own integer.
        db.pragma(`user_version = ${migration.version}`);
      }).immediate();
    } finally {
      if (migration.rebuildsTables && enforced) db.pragma('foreign_keys = ON');
    }
  }
  const problems = db.pragma('foreign_key_check') as unknown[];
  if (problems.length > 0) {
    throw new StudioFailure(
      'runtime',
      `migration left ${problems.length} broken references in ${file}; the backup is ${backupPath ?? 'none'}`,
    );
  }
  return backupPath;
}
