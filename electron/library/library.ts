import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StudioFailure } from '../contract/result';
import { BlobStore } from './blobs';
import { markOrphanedJobsInterrupted } from './jobs-store';
import { migrate } from './migrate';
import { storageFailure } from './storage-errors';

export const DATABASE_FILE = 'library.sqlite';

/** An open library: the SQLite database plus the blob store beside it, in one home folder. */
export class Library {
  readonly home: string;
  readonly db: Database.Database;
  readonly blobs: BlobStore;
  /** Where the pre-migration backup went, when this open migrated an existing database. */
  readonly backupPath: string | undefined;

  constructor(home: string, db: Database.Database, blobs: BlobStore, backupPath: string | undefined) {
    this.home = home;
    this.db = db;
    this.blobs = blobs;
    this.backupPath = backupPath;
  }

  putBlob(bytes: Uint8Array): string {
    try {
      return this.blobs.put(bytes);
    } catch (error) {
      throw storageFailure(error, this.home);
    }
  }

  getBlob(hash: string): Uint8Array {
    return this.blobs.get(hash);
  }

  /** The file of a blob, for streaming (HTTP Range requests) without loading it. */
  blobPath(hash: string): string {
    return this.blobs.path(hash);
  }

  /** Runs fn in one write transaction (BEGIN IMMEDIATE, so it takes the write lock up front). */
  write<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (error) {
      throw storageFailure(error, this.home);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * Opens (creating or migrating) the library in `home`. Jobs another process left `running` and
 * that process is gone become `interrupted`, ready to resume.
 */
/** Makes the library folder; a file in its place is the user's mistake (bad input), not a crash. */
export function ensureHomeFolder(home: string): void {
  try {
    mkdirSync(home, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR')
      throw new StudioFailure(
        'bad-input',
        `the library folder ${home} is a file, not a folder; choose another with --home or MIDI_VALLE_HOME`,
      );
    throw storageFailure(error, home);
  }
}

export function openLibrary(home: string, options: { readonly?: boolean } = {}): Library {
  ensureHomeFolder(home);
  const file = join(home, DATABASE_FILE);
  const existed = existsSync(file);
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 10_000 });
  } catch (error) {
    throw new StudioFailure('unavailable', `cannot open the library database ${file}: ${(error as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    // FULL: the WAL is fsynced on every commit. A take or job-progress commit is the record of
    // seconds of GPU work that the user was told is saved; NORMAL could lose the last commits on
    // power loss. Commits here are few (one per rendered segment), so the fsync costs nothing visible.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const backupPath = migrate(db, file, existed);
    const blobs = new BlobStore(join(home, 'blobs'));
    const lib = new Library(home, db, blobs, backupPath);
    if (!options.readonly) markOrphanedJobsInterrupted(lib);
    return lib;
  } catch (error) {
    db.close();
    throw storageFailure(error, home);
  }
}
