import type { Library } from './library';

/** Every column that holds a blob hash, with what a missing blob means for that row. */
export const BLOB_COLUMNS = [
  { table: 'pieces', column: 'midi_hash', key: 'id' },
  { table: 'performers', column: 'prompt_audio_hash', key: 'id' },
  { table: 'performers', column: 'prompt_midi_hash', key: 'id' },
  { table: 'performers', column: 'prompt_tokens_hash', key: 'id' },
  {
    table: 'performer_prompt_codes',
    column: 'codes_hash',
    key: "performer_id || ':' || pack_id || '@' || pack_version",
  },
  { table: 'takes', column: 'audio_hash', key: 'id' },
  { table: 'takes', column: 'codes_hash', key: 'id' },
  { table: 'takes', column: 'peaks_hash', key: 'id' },
  // what a trashed item needs to be restored; kept until the trash is emptied
  { table: 'trash_blobs', column: 'hash', key: 'trash_id' },
] as const;

export interface BlobReference {
  hash: string;
  table: string;
  column: string;
  rowKey: string;
}

export function blobReferences(lib: Library, options: { withoutTrash?: boolean } = {}): BlobReference[] {
  const refs: BlobReference[] = [];
  for (const c of BLOB_COLUMNS) {
    if (options.withoutTrash && c.table === 'trash_blobs') continue;
    const rows = lib.db
      .prepare(`SELECT ${c.column} AS hash, ${c.key} AS row_key FROM ${c.table} WHERE ${c.column} IS NOT NULL`)
      .all() as Array<{ hash: string; row_key: string }>;
    for (const r of rows) refs.push({ hash: r.hash, table: c.table, column: c.column, rowKey: String(r.row_key) });
  }
  return refs;
}

export function referencedHashes(lib: Library, options: { withoutTrash?: boolean } = {}): Set<string> {
  return new Set(blobReferences(lib, options).map((r) => r.hash));
}
