import type { Database } from 'better-sqlite3';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-take-loudness-exports';
import { migration0003 } from './0003-job-and-segment-seeds';
import { migration0004 } from './0004-performer-profiles';
import { migration0005 } from './0005-works';
import { migration0006 } from './0006-trash';

export interface Migration {
  /** The user_version the database has after this migration. */
  version: number;
  name: string;
  up(db: Database): void;
  /** Rebuilds a table others reference: run with foreign-key enforcement off (checked after). */
  rebuildsTables?: boolean;
}

/** Every migration in order; the last one's version is the schema this app writes. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', up: migration0001 },
  { version: 2, name: 'take-loudness-exports', up: migration0002 },
  { version: 3, name: 'job-and-segment-seeds', up: migration0003 },
  { version: 4, name: 'performer-profiles', up: migration0004 },
  { version: 5, name: 'works', up: migration0005 },
  { version: 6, name: 'trash', up: migration0006, rebuildsTables: true },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
