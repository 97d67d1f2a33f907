import { randomUUID } from 'node:crypto';
import { StudioFailure } from '../shared/failure';
import { checkName, nameKey } from '../shared/untrusted-text';
import type { Library } from './library';
import { toPerformer, type Consent, type Json, type PerformerRecord } from './records';

export interface NewPerformer {
  name: string;
  /** The prompt recording as stored (the services choose the 3-s window and encode it first). */
  promptAudio: { bytes: Uint8Array; format: string; sampleRate: number; channels: number; duration: number };
  promptMidi: Uint8Array;
  /** Prompt tokens as the engine serialises them (optional: computed later for neural packs). */
  promptTokens?: Uint8Array | null;
  tags?: { piano?: string | null; room?: string | null; source?: string | null };
  licence: string;
  consent: { kind: Consent; by?: string | null; at?: number | null };
  /** Who made the prompt recording. */
  recordedBy?: string | null;
  notes?: string;
  demo?: boolean;
}

/**
 * A performer name as stored: NFC, no control characters, unique ignoring case and Unicode form, and
 * never another performer's id (commands take a name or an id, so that would make one unreachable).
 */
function performerName(lib: Library, raw: string, self?: string): string {
  const name = checkName(raw, 'performer');
  if (typeof name !== 'string') throw new StudioFailure('invalid-argument', name.problem);
  const key = nameKey(name);
  const rows = lib.db.prepare('SELECT id, name FROM performers').all() as Array<{ id: string; name: string }>;
  for (const row of rows) {
    if (row.id === self) continue;
    if (nameKey(row.name) === key)
      throw new StudioFailure('invalid-argument', `a performer named "${name}" already exists; choose another name`);
    if (row.id.toLowerCase() === key)
      throw new StudioFailure('invalid-argument', `"${name}" is the id of another performer; choose another name`);
  }
  return name;
}

/** Every column of a performer row, as addPerformer and a bundle import fill it. */
export interface PerformerRow {
  id: string;
  name: string;
  promptAudio: { hash: string; format: string; sampleRate: number; channels: number; duration: number };
  promptMidiHash: string;
  promptTokensHash: string | null;
  tags: { piano: string | null; room: string | null; source: string | null };
  licence: string;
  consent: { kind: string; by: string | null; at: string | number | null };
  notes: string;
  demo: boolean;
  createdAt: number;
  recordedBy: string | null;
}

/** The one INSERT of a performer row (its blobs must already be stored). */
export function insertPerformerRow(lib: Library, row: PerformerRow): void {
  lib.db
    .prepare(
      `INSERT INTO performers (id, name, prompt_audio_hash, prompt_audio_format, prompt_sample_rate, prompt_channels,
         prompt_duration, prompt_midi_hash, prompt_tokens_hash, tag_piano, tag_room, tag_source, licence, consent,
         consent_by, consent_at, notes, demo, created_at, recorded_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      row.id,
      row.name,
      row.promptAudio.hash,
      row.promptAudio.format,
      row.promptAudio.sampleRate,
      row.promptAudio.channels,
      row.promptAudio.duration,
      row.promptMidiHash,
      row.promptTokensHash,
      row.tags.piano,
      row.tags.room,
      row.tags.source,
      row.licence,
      row.consent.kind,
      row.consent.by,
      row.consent.at,
      row.notes,
      row.demo ? 1 : 0,
      row.createdAt,
      row.recordedBy,
    );
}

/** Stores a performer; names are unique ignoring case and Unicode form. */
export function addPerformer(lib: Library, input: NewPerformer): PerformerRecord {
  const name = performerName(lib, input.name);
  if (!input.licence.trim()) throw new StudioFailure('invalid-argument', `performer "${name}" needs a licence`);
  // Blobs first, row last: the performer exists only once all its bytes are on disk.
  const audioHash = lib.putBlob(input.promptAudio.bytes);
  const midiHash = lib.putBlob(input.promptMidi);
  const tokensHash = input.promptTokens ? lib.putBlob(input.promptTokens) : null;
  const id = randomUUID();
  lib.write(() =>
    insertPerformerRow(lib, {
      id,
      name,
      promptAudio: { ...input.promptAudio, hash: audioHash },
      promptMidiHash: midiHash,
      promptTokensHash: tokensHash,
      tags: { piano: input.tags?.piano ?? null, room: input.tags?.room ?? null, source: input.tags?.source ?? null },
      licence: input.licence.trim(),
      consent: { kind: input.consent.kind, by: input.consent.by ?? null, at: input.consent.at ?? null },
      notes: input.notes ?? '',
      demo: input.demo ?? false,
      createdAt: Date.now(),
      recordedBy: input.recordedBy?.trim() || null,
    }),
  );
  return getPerformer(lib, id);
}

export function getPerformer(lib: Library, id: string): PerformerRecord {
  const row = lib.db.prepare('SELECT * FROM performers WHERE id = ?').get(id);
  if (!row) throw new StudioFailure('not-found', `no performer ${id}; list them with "midi-valle performers list"`);
  return toPerformer(row as Json);
}

export function findPerformerByName(lib: Library, name: string): PerformerRecord | undefined {
  const key = nameKey(name);
  const row = (lib.db.prepare('SELECT * FROM performers').all() as Json[]).find((r) => nameKey(String(r.name)) === key);
  return row ? toPerformer(row) : undefined;
}

export function listPerformers(lib: Library): Array<PerformerRecord & { renderCount: number }> {
  return lib.db
    .prepare(
      `SELECT p.*, (SELECT count(*) FROM renders r WHERE r.performer_id = p.id) AS render_count
       FROM performers p ORDER BY p.demo DESC, p.name COLLATE NOCASE`,
    )
    .all()
    .map((r) => ({ ...toPerformer(r as Json), renderCount: Number((r as Json).render_count) }));
}

export interface PerformerUpdate {
  name?: string;
  tags?: { piano?: string | null; room?: string | null; source?: string | null };
  licence?: string;
  notes?: string;
  promptTokens?: Uint8Array | null;
}

export function updatePerformer(lib: Library, id: string, update: PerformerUpdate): PerformerRecord {
  const current = getPerformer(lib, id);
  const tokensHash =
    update.promptTokens === undefined
      ? current.promptTokensHash
      : update.promptTokens
        ? lib.putBlob(update.promptTokens)
        : null;
  lib.write(() => {
    const name = update.name === undefined ? current.name : performerName(lib, update.name, id);
    lib.db
      .prepare(
        `UPDATE performers SET name = ?, tag_piano = ?, tag_room = ?, tag_source = ?, licence = ?, notes = ?,
           prompt_tokens_hash = ? WHERE id = ?`,
      )
      .run(
        name,
        update.tags && 'piano' in update.tags ? (update.tags.piano ?? null) : current.tags.piano,
        update.tags && 'room' in update.tags ? (update.tags.room ?? null) : current.tags.room,
        update.tags && 'source' in update.tags ? (update.tags.source ?? null) : current.tags.source,
        update.licence ?? current.licence,
        update.notes ?? current.notes,
        tokensHash,
        id,
      );
  });
  return getPerformer(lib, id);
}

/**
 * Removes a performer. Renders keep a reference to who played them, so a performer with renders
 * is refused unless `force`, which deletes those renders (and their takes) too.
 */
export function removePerformer(
  lib: Library,
  id: string,
  options: { force?: boolean } = {},
): { removedRenders: number } {
  const performer = getPerformer(lib, id);
  return lib.write(() => {
    const count = Number(lib.db.prepare('SELECT count(*) AS n FROM renders WHERE performer_id = ?').pluck().get(id));
    if (count > 0 && !options.force) {
      throw new StudioFailure(
        'conflict',
        `performer "${performer.name}" is used by ${count} render(s); remove those first or pass --force to delete them too`,
      );
    }
    lib.db.prepare('DELETE FROM renders WHERE performer_id = ?').run(id);
    lib.db.prepare('DELETE FROM performers WHERE id = ?').run(id);
    return { removedRenders: count };
  });
}

/** Prompt codes depend on the codec of a pack; they are cached per (performer, pack id, version). */
export function putPromptCodes(
  lib: Library,
  performerId: string,
  pack: { id: string; version: string },
  codes: Uint8Array,
): string {
  const hash = lib.putBlob(codes);
  lib.write(() => {
    getPerformer(lib, performerId);
    lib.db
      .prepare(
        `INSERT INTO performer_prompt_codes (performer_id, pack_id, pack_version, codes_hash, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (performer_id, pack_id, pack_version) DO UPDATE SET codes_hash = excluded.codes_hash, created_at = excluded.created_at`,
      )
      .run(performerId, pack.id, pack.version, hash, Date.now());
  });
  return hash;
}

/** The cached prompt codes' hash, or undefined when the pack has not encoded this performer yet. */
export function findPromptCodes(
  lib: Library,
  performerId: string,
  pack: { id: string; version: string },
): string | undefined {
  const hash = lib.db
    .prepare(
      'SELECT codes_hash FROM performer_prompt_codes WHERE performer_id = ? AND pack_id = ? AND pack_version = ?',
    )
    .pluck()
    .get(performerId, pack.id, pack.version) as string | undefined;
  return hash && lib.blobs.has(hash) ? hash : undefined;
}
