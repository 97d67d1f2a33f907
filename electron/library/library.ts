import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StudioFailure } from '../shared/failure';
import { BlobStore } from './blobs';
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
  /** Opened from a disk that takes no writes (full or read-only): reads work, writes fail, nothing is recovered. */
  readonly degraded: boolean;

  constructor(home: string, db: Database.Database, blobs: BlobStore, backupPath: string | undefined, degraded = false) {
    this.degraded = degraded;
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

/**
 * SQLite failures that mean "this disk cannot take a write now" (full: the WAL index cannot grow;
 * read-only or no permission) rather than a damaged database.
 */
const NO_WRITE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/;

/**
 * Opens the database with its wal-index in process memory instead of the -shm file (EXCLUSIVE locking
 * mode, set before the first access): on a full disk the -shm file cannot grow, and every normal open
 * fails with "disk I/O error", so read-only commands would be locked out of a library they only read.
 * It holds the database's lock while open, which suits a short command.
 */
function openWithoutSharedMemory(file: string): Database.Database {
  const db = new Database(file, { timeout: 10_000, fileMustExist: true });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A read-only disk: a WAL database cannot be opened there when its -shm file does not exist (SQLite
 * cannot create it). The database file is then complete (no -wal left, or it is empty), so an in-memory
 * copy serves the reads, with query_only set so that every write fails as "cannot be written".
 */
function openReadOnlyCopy(file: string): Database.Database {
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) throw new Error('the -wal file holds commits');
  const bytes = readFileSync(file);
  // Header bytes 18-19 say WAL (2); an in-memory database reads a rollback-journal file (1).
  if (bytes.length >= 100 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
  const db = new Database(bytes);
  db.pragma('query_only = ON');
  return db;
}

/** A database file this open created but could not set up: removed, so no 0-byte library is left. */
function removeUnfinished(file: string): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) rmSync(path, { force: true });
}

/**
 * Opens (creating or migrating) the library in `home`. Crash recovery of jobs is the services' part
 * (electron/services/render/jobs.ts), done when a studio opens its library.
 */
export function openLibrary(home: string): Library {
  ensureHomeFolder(home);
  const file = join(home, DATABASE_FILE);
  const existed = existsSync(file);
  let db: Database.Database;
  let degraded = false;
  try {
    db = new Database(file, { timeout: 10_000 });
  } catch (error) {
    if (!existed) removeUnfinished(file);
    throw new StudioFailure('unavailable', `cannot open the library database ${file}: ${(error as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
  } catch (error) {
    db.close();
    const code = String((error as { code?: unknown }).code ?? '');
    if (!existed || !NO_WRITE.test(code)) {
      if (!existed) removeUnfinished(file);
      throw storageFailure(error, home);
    }
    try {
      db = openWithoutSharedMemory(file);
    } catch {
      try {
        db = openReadOnlyCopy(file);
      } catch {
        throw storageFailure(error, home);
      }
    }
    degraded = true;
  }
  try {
    // FULL: the WAL is fsynced on every commit. A take or job-progress commit is the record of
    // seconds of GPU work that the user was told is saved; NORMAL could lose the last commits on
    // power loss. Commits here are few (one per rendered segment), so the fsync costs nothing visible.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const backupPath = migrate(db, file, existed);
    const blobs = new BlobStore(join(home, 'blobs'));
    return new Library(home, db, blobs, backupPath, degraded);
  } catch (error) {
    db.close();
    if (!existed) removeUnfinished(file);
    throw storageFailure(error, home);
  }
}
