import { randomUUID } from 'node:crypto';
import { StudioFailure } from '../shared/failure';
import type { Library } from './library';
import { BLOB_COLUMNS } from './references';

// The trash: deleting a piece, performer, render or take moves its rows (and every row that depends
// on it) into one snapshot, so nothing is lost until the trash is emptied and nothing is left
// half-deleted. trash_blobs names the blobs a snapshot needs: gc keeps them while it is in the trash.

export type TrashKind = 'piece' | 'performer' | 'render' | 'take';

export type Row = Record<string, unknown>;

/** Tables in the order rows must be re-inserted (parents before children). */
export const TABLE_ORDER = [
  'performers',
  'performer_prompt_codes',
  'pieces',
  'renders',
  'segments',
  'jobs',
  'takes',
  'job_segments',
] as const;
export type Table = (typeof TABLE_ORDER)[number];

export interface Snapshot {
  rows: Partial<Record<Table, Row[]>>;
  /** Exports that named a deleted render (their link is cleared on delete, set again on restore). */
  exportLinks: Array<{ id: string; renderId: string }>;
  /** For a take: the job progress rows that pointed at it (re-pointed to the replacement meanwhile). */
  takeLinks: Array<{ jobId: string; segmentId: number }>;
  /** For a take: whether it was the segment's chosen one. */
  wasChosen?: boolean;
}

export interface TrashEntry {
  id: string;
  kind: TrashKind;
  itemId: string;
  label: string;
  /** What else went with it, e.g. "2 renders, 7 takes". */
  summary: string;
  deletedAt: number;
}

const all = (lib: Library, sql: string, ...params: unknown[]): Row[] => lib.db.prepare(sql).all(...params) as Row[];
export const marks = (values: unknown[]): string => values.map(() => '?').join(', ');

/** The rows of renders (with their segments, jobs, takes and job progress). */
function renderRows(lib: Library, renderIds: string[], into: Snapshot): void {
  if (renderIds.length === 0) return;
  const r = marks(renderIds);
  into.rows.renders = [
    ...(into.rows.renders ?? []),
    ...all(lib, `SELECT * FROM renders WHERE id IN (${r})`, ...renderIds),
  ];
  const segments = all(lib, `SELECT * FROM segments WHERE render_id IN (${r})`, ...renderIds);
  into.rows.segments = [...(into.rows.segments ?? []), ...segments];
  into.rows.jobs = [
    ...(into.rows.jobs ?? []),
    ...all(lib, `SELECT * FROM jobs WHERE render_id IN (${r})`, ...renderIds),
  ];
  const segmentIds = segments.map((s) => s.id);
  if (segmentIds.length) {
    const s = marks(segmentIds);
    into.rows.takes = [
      ...(into.rows.takes ?? []),
      ...all(lib, `SELECT * FROM takes WHERE segment_id IN (${s}) ORDER BY rowid`, ...segmentIds),
    ];
    into.rows.job_segments = [
      ...(into.rows.job_segments ?? []),
      ...all(lib, `SELECT * FROM job_segments WHERE segment_id IN (${s})`, ...segmentIds),
    ];
  }
  for (const e of all(lib, `SELECT id, render_id FROM exports WHERE render_id IN (${r})`, ...renderIds))
    into.exportLinks.push({ id: String(e.id), renderId: String(e.render_id) });
}

function blobsOf(snapshot: Snapshot): string[] {
  const hashes = new Set<string>();
  for (const c of BLOB_COLUMNS) {
    for (const row of snapshot.rows[c.table as Table] ?? []) {
      const value = row[c.column];
      if (typeof value === 'string') hashes.add(value);
    }
  }
  return [...hashes];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summarise(snapshot: Snapshot, kind: TrashKind): string {
  const parts: string[] = [];
  const renders = snapshot.rows.renders?.length ?? 0;
  const takes = snapshot.rows.takes?.length ?? 0;
  if (kind !== 'render' && renders) parts.push(plural(renders, 'render'));
  if (kind !== 'take' && takes) parts.push(plural(takes, 'take'));
  return parts.join(', ');
}

/** Refuses while a job of these renders runs: its worker would write into rows that are gone. */
function refuseRunning(lib: Library, renderIds: string[], what: string): void {
  if (renderIds.length === 0) return;
  const running = lib.db
    .prepare(`SELECT count(*) FROM jobs WHERE status IN ('running', 'queued') AND render_id IN (${marks(renderIds)})`)
    .pluck()
    .get(...renderIds) as number;
  if (running > 0) throw new StudioFailure('conflict', `${what} is being rendered; cancel its render first`);
}

/** Writes the snapshot, then deletes the item (the foreign keys cascade to what the snapshot holds). */
function store(lib: Library, kind: TrashKind, itemId: string, label: string, snapshot: Snapshot): TrashEntry {
  const entry: TrashEntry = {
    id: randomUUID(),
    kind,
    itemId,
    label,
    summary: summarise(snapshot, kind),
    deletedAt: Date.now(),
  };
  lib.db
    .prepare(
      'INSERT INTO trash (id, kind, item_id, label, summary, rows_json, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(entry.id, kind, itemId, label, entry.summary, JSON.stringify(snapshot), entry.deletedAt);
  const blob = lib.db.prepare('INSERT OR IGNORE INTO trash_blobs (trash_id, hash) VALUES (?, ?)');
  for (const hash of blobsOf(snapshot)) blob.run(entry.id, hash);
  return entry;
}

const emptySnapshot = (): Snapshot => ({ rows: {}, exportLinks: [], takeLinks: [] });

/** Moves a piece with its renders and takes to the trash. */
export function trashPiece(lib: Library, pieceId: string): TrashEntry {
  return lib.write(() => {
    const piece = lib.db.prepare('SELECT * FROM pieces WHERE id = ?').get(pieceId) as Row | undefined;
    if (!piece) throw new StudioFailure('not-found', `no piece ${pieceId}; list them with "midi-valle pieces list"`);
    const renderIds = lib.db.prepare('SELECT id FROM renders WHERE piece_id = ?').pluck().all(pieceId) as string[];
    refuseRunning(lib, renderIds, `piece "${String(piece.title)}"`);
    const snapshot = emptySnapshot();
    snapshot.rows.pieces = [piece];
    renderRows(lib, renderIds, snapshot);
    const entry = store(lib, 'piece', pieceId, String(piece.title), snapshot);
    lib.db.prepare('DELETE FROM pieces WHERE id = ?').run(pieceId);
    return entry;
  });
}

/** The renders that use a performer, labelled for a person ("Title (engine, date)"). */
export function rendersOfPerformer(lib: Library, performerId: string): Array<{ id: string; label: string }> {
  return all(
    lib,
    `SELECT r.id, r.name, r.engine, r.created_at, p.title FROM renders r JOIN pieces p ON p.id = r.piece_id
     WHERE r.performer_id = ? ORDER BY r.created_at`,
    performerId,
  ).map((r) => ({
    id: String(r.id),
    label: `${r.name ? `${String(r.name)}: ` : ''}${String(r.title)} (${String(r.engine)}, ${new Date(Number(r.created_at)).toISOString().slice(0, 10)})`,
  }));
}

/**
 * Moves a performer to the trash. Renders keep a reference to who played them, so a performer that
 * renders use is refused with a 'conflict' naming them, unless `force`: then those renders go to the
 * trash with it (one entry, restored together).
 */
export function trashPerformer(
  lib: Library,
  performerId: string,
  options: { force?: boolean } = {},
): TrashEntry & { removedRenders: number } {
  return lib.write(() => {
    const performer = lib.db.prepare('SELECT * FROM performers WHERE id = ?').get(performerId) as Row | undefined;
    if (!performer)
      throw new StudioFailure('not-found', `no performer ${performerId}; list them with "midi-valle performers list"`);
    const used = rendersOfPerformer(lib, performerId);
    if (used.length > 0 && !options.force) {
      throw new StudioFailure(
        'conflict',
        `performer "${String(performer.name)}" is used by ${used.length} render(s); remove those first or pass --force to move them to the trash too: ${used.map((r) => r.label).join('; ')}`,
      );
    }
    refuseRunning(
      lib,
      used.map((r) => r.id),
      `a render of performer "${String(performer.name)}"`,
    );
    const snapshot = emptySnapshot();
    snapshot.rows.performers = [performer];
    snapshot.rows.performer_prompt_codes = all(
      lib,
      'SELECT * FROM performer_prompt_codes WHERE performer_id = ?',
      performerId,
    );
    renderRows(
      lib,
      used.map((r) => r.id),
      snapshot,
    );
    const entry = store(lib, 'performer', performerId, String(performer.name), snapshot);
    lib.db.prepare('DELETE FROM renders WHERE performer_id = ?').run(performerId);
    lib.db.prepare('DELETE FROM performers WHERE id = ?').run(performerId);
    return { ...entry, removedRenders: used.length };
  });
}

/** A render's label: its name, else "piece — performer". */
export function renderLabel(lib: Library, renderId: string): string {
  const row = lib.db
    .prepare(
      `SELECT r.name, p.title, f.name AS performer FROM renders r JOIN pieces p ON p.id = r.piece_id
       LEFT JOIN performers f ON f.id = r.performer_id WHERE r.id = ?`,
    )
    .get(renderId) as Row | undefined;
  if (!row) throw new StudioFailure('not-found', `no render ${renderId}; list them with "midi-valle renders list"`);
  return row.name
    ? String(row.name)
    : `${String(row.title)} — ${row.performer ? String(row.performer) : 'no performer'}`;
}

/** Moves a render with its takes to the trash. Locked takes are the user's keepers: refused unless `force`. */
export function trashRender(lib: Library, renderId: string, options: { force?: boolean } = {}): TrashEntry {
  return lib.write(() => {
    const label = renderLabel(lib, renderId);
    refuseRunning(lib, [renderId], `render "${label}"`);
    const locked = lib.db
      .prepare(
        'SELECT count(*) FROM takes t JOIN segments s ON s.id = t.segment_id WHERE s.render_id = ? AND t.locked = 1',
      )
      .pluck()
      .get(renderId) as number;
    if (locked > 0 && !options.force)
      throw new StudioFailure(
        'conflict',
        `render "${label}" has ${locked} locked take(s); unlock them or pass --force to delete it anyway`,
      );
    const snapshot = emptySnapshot();
    renderRows(lib, [renderId], snapshot);
    const entry = store(lib, 'render', renderId, label, snapshot);
    lib.db.prepare('DELETE FROM renders WHERE id = ?').run(renderId);
    return entry;
  });
}

export interface TakeTrashResult extends TrashEntry {
  renderId: string;
  /** The take now chosen for the segment when the deleted one was the chosen take. */
  chosenTakeId: string | null;
}

/**
 * Moves one take to the trash. The only take of a segment is refused (the segment would have no
 * audio and the render no mix); a locked take is refused. When the chosen take goes, the newest
 * other take of the segment becomes the chosen one.
 */
export function trashTake(lib: Library, takeId: string): TakeTrashResult {
  return lib.write(() => {
    const take = lib.db
      .prepare(
        `SELECT t.*, s.idx AS segment_index, s.render_id FROM takes t JOIN segments s ON s.id = t.segment_id WHERE t.id = ?`,
      )
      .get(takeId) as Row | undefined;
    if (!take)
      throw new StudioFailure('not-found', `no take ${takeId}; list them with "midi-valle takes list --render ID"`);
    const renderId = String(take.render_id);
    const segment = `segment ${Number(take.segment_index)}`;
    if (take.locked === 1) throw new StudioFailure('conflict', `take ${takeId} is locked; unlock it first`);
    const newestOther = lib.db
      .prepare('SELECT id FROM takes WHERE segment_id = ? AND id != ? ORDER BY created_at DESC, rowid DESC LIMIT 1')
      .pluck()
      .get(take.segment_id, takeId) as string | undefined;
    if (!newestOther)
      throw new StudioFailure(
        'conflict',
        `take ${takeId} is the only take of ${segment}; regenerate the segment first, or delete the whole render`,
      );
    const running = lib.db
      .prepare(`SELECT count(*) FROM jobs WHERE status IN ('running', 'queued') AND render_id = ?`)
      .pluck()
      .get(renderId) as number;
    if (running > 0) throw new StudioFailure('conflict', `its render is being rendered; wait or cancel it first`);
    const { segment_index: _i, render_id: _r, ...row } = take;
    const snapshot = emptySnapshot();
    snapshot.rows.takes = [row];
    snapshot.wasChosen = take.chosen === 1;
    snapshot.takeLinks = (
      all(lib, 'SELECT job_id, segment_id FROM job_segments WHERE take_id = ?', takeId) as Array<{
        job_id: string;
        segment_id: number;
      }>
    ).map((l) => ({ jobId: l.job_id, segmentId: l.segment_id }));
    const entry = store(
      lib,
      'take',
      takeId,
      `take seed ${Number(take.seed)} of ${segment} of ${renderLabel(lib, renderId)}`,
      snapshot,
    );
    lib.db.prepare('DELETE FROM takes WHERE id = ?').run(takeId);
    // job progress keeps pointing at audio the segment really has, so a resumed job skips it
    lib.db
      .prepare('UPDATE job_segments SET take_id = ? WHERE take_id IS NULL AND status = ? AND segment_id = ?')
      .run(newestOther, 'done', take.segment_id);
    let chosenTakeId: string | null = null;
    if (take.chosen === 1) {
      lib.db.prepare('UPDATE takes SET chosen = 1 WHERE id = ?').run(newestOther);
      chosenTakeId = newestOther;
    }
    return { ...entry, renderId, chosenTakeId };
  });
}

export const toEntry = (r: Row): TrashEntry => ({
  id: String(r.id),
  kind: String(r.kind) as TrashKind,
  itemId: String(r.item_id),
  label: String(r.label),
  summary: String(r.summary),
  deletedAt: Number(r.deleted_at),
});

/** The trash, newest deletion first. */
export function listTrash(lib: Library): TrashEntry[] {
  return all(
    lib,
    'SELECT id, kind, item_id, label, summary, deleted_at FROM trash ORDER BY deleted_at DESC, rowid DESC',
  ).map(toEntry);
}

/** Empties the trash (or removes one entry for good); the blobs only it held go at the next gc. */
export function emptyTrash(lib: Library, trashId?: string): { removed: number } {
  return lib.write(() => {
    const info = trashId
      ? lib.db.prepare('DELETE FROM trash WHERE id = ?').run(trashId)
      : lib.db.prepare('DELETE FROM trash').run();
    if (trashId && info.changes === 0)
      throw new StudioFailure('not-found', `nothing in the trash has id ${trashId}; see "midi-valle trash list"`);
    return { removed: info.changes };
  });
}
