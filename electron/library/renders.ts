import { createHash, randomUUID } from 'node:crypto';
import { StudioFailure } from '../shared/failure';
import type { Library } from './library';
import { getPiece } from './projects';
import {
  canonicalJson,
  toRender,
  toSegment,
  toTake,
  type Engine,
  type Json,
  type RenderRecord,
  type RenderStatus,
  type SegmentRecord,
  type TakeRecord,
} from './records';

export interface NewRender {
  pieceId: string;
  performerId?: string | null; // null for the sampled grand without a prompt
  engine: Engine;
  pack: { id: string; version: string };
  params?: Json;
  seed: number;
  device?: string | null;
  /** The segmentation the services computed; tokensHash identifies a segment's model input. */
  segments: Array<{ index: number; start: number; end: number; tokensHash: string }>;
}

export function createRender(lib: Library, input: NewRender): RenderRecord {
  if (input.segments.length === 0) throw new StudioFailure('invalid-argument', 'a render needs at least one segment');
  const id = randomUUID();
  const now = Date.now();
  lib.write(() => {
    getPiece(lib, input.pieceId);
    lib.db
      .prepare(
        `INSERT INTO renders (id, piece_id, performer_id, engine, pack_id, pack_version, params_json, seed, device, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
      )
      .run(
        id,
        input.pieceId,
        input.performerId ?? null,
        input.engine,
        input.pack.id,
        input.pack.version,
        JSON.stringify(input.params ?? {}),
        input.seed,
        input.device ?? null,
        now,
      );
    const insert = lib.db.prepare(
      'INSERT INTO segments (render_id, idx, start_s, end_s, tokens_hash) VALUES (?, ?, ?, ?, ?)',
    );
    for (const s of input.segments) insert.run(id, s.index, s.start, s.end, s.tokensHash);
  });
  return getRender(lib, id);
}

export function getRender(lib: Library, id: string): RenderRecord {
  const row = lib.db.prepare('SELECT * FROM renders WHERE id = ?').get(id);
  if (!row) throw new StudioFailure('not-found', `no render ${id}; list them with "midi-valle renders list"`);
  return toRender(row as Json);
}

export interface RenderSummary extends RenderRecord {
  pieceTitle: string;
  performerName: string | null;
  segmentCount: number;
  segmentsWithTake: number;
}

export function listRenders(lib: Library, filter: { pieceId?: string; projectId?: string } = {}): RenderSummary[] {
  const rows = lib.db
    .prepare(
      `SELECT r.*, p.title AS piece_title, f.name AS performer_name,
         (SELECT count(*) FROM segments s WHERE s.render_id = r.id) AS segment_count,
         (SELECT count(DISTINCT s.id) FROM segments s JOIN takes t ON t.segment_id = s.id WHERE s.render_id = r.id) AS with_take
       FROM renders r JOIN pieces p ON p.id = r.piece_id LEFT JOIN performers f ON f.id = r.performer_id
       WHERE (@piece IS NULL OR r.piece_id = @piece) AND (@project IS NULL OR p.project_id = @project)
       ORDER BY r.created_at DESC, r.rowid DESC`,
    )
    .all({ piece: filter.pieceId ?? null, project: filter.projectId ?? null }) as Json[];
  return rows.map((r) => ({
    ...toRender(r),
    pieceTitle: String(r.piece_title),
    performerName: (r.performer_name as string | null) ?? null,
    segmentCount: Number(r.segment_count),
    segmentsWithTake: Number(r.with_take),
  }));
}

export function setRenderStatus(lib: Library, id: string, status: RenderStatus, error: string | null = null): void {
  const now = Date.now();
  lib.db
    .prepare(
      `UPDATE renders SET status = ?, error = ?,
         started_at = CASE WHEN ? = 'rendering' AND started_at IS NULL THEN ? ELSE started_at END,
         finished_at = CASE WHEN ? IN ('done', 'failed', 'cancelled') THEN ? ELSE NULL END
       WHERE id = ?`,
    )
    .run(status, error, status, now, status, now, id);
}

/**
 * Removes a render with its segments, takes and jobs (blobs go at the next gc). Refused while one
 * of its jobs runs, and while it holds locked takes unless `force`.
 */
export function removeRender(lib: Library, id: string, options: { force?: boolean } = {}): void {
  getRender(lib, id);
  lib.write(() => {
    const running = lib.db
      .prepare(`SELECT count(*) FROM jobs WHERE render_id = ? AND status = 'running'`)
      .pluck()
      .get(id) as number;
    if (running > 0) throw new StudioFailure('unavailable', `render ${id} is being rendered; cancel its job first`);
    const locked = lib.db
      .prepare(
        'SELECT count(*) FROM takes t JOIN segments s ON s.id = t.segment_id WHERE s.render_id = ? AND t.locked = 1',
      )
      .pluck()
      .get(id) as number;
    if (locked > 0 && !options.force)
      throw new StudioFailure('invalid-argument', `render ${id} has ${locked} locked take(s); unlock them or force`);
    lib.db.prepare('DELETE FROM renders WHERE id = ?').run(id);
  });
}

export function listSegments(lib: Library, renderId: string): SegmentRecord[] {
  return lib.db
    .prepare('SELECT * FROM segments WHERE render_id = ? ORDER BY idx')
    .all(renderId)
    .map((r) => toSegment(r as Json));
}

export function getSegment(lib: Library, renderId: string, index: number): SegmentRecord {
  const row = lib.db.prepare('SELECT * FROM segments WHERE render_id = ? AND idx = ?').get(renderId, index);
  if (!row) throw new StudioFailure('not-found', `render ${renderId} has no segment ${index}`);
  return toSegment(row as Json);
}

export interface TakeListing extends TakeRecord {
  segmentIndex: number;
  renderId: string;
}

/** Takes of a render (all segments, or one), oldest first within a segment. */
export function listTakes(lib: Library, renderId: string, segmentIndex?: number): TakeListing[] {
  getRender(lib, renderId);
  const rows = lib.db
    .prepare(
      `SELECT t.*, s.idx AS segment_index, s.render_id FROM takes t JOIN segments s ON s.id = t.segment_id
       WHERE s.render_id = @render AND (@segment IS NULL OR s.idx = @segment) ORDER BY s.idx, t.created_at, t.rowid`,
    )
    .all({ render: renderId, segment: segmentIndex ?? null }) as Json[];
  return rows.map((r) => ({ ...toTake(r), segmentIndex: Number(r.segment_index), renderId: String(r.render_id) }));
}

/**
 * What plays: each segment of a render in order with its chosen take (null where the segment has no
 * take yet). The services stitch these into the full performance.
 */
export function chosenTakes(
  lib: Library,
  renderId: string,
): Array<{ segment: SegmentRecord; take: TakeRecord | null }> {
  const takes = new Map(
    listTakes(lib, renderId)
      .filter((t) => t.chosen)
      .map((t) => [t.segmentId, t as TakeRecord]),
  );
  return listSegments(lib, renderId).map((segment) => ({ segment, take: takes.get(segment.id) ?? null }));
}

export function getTake(lib: Library, id: string): TakeRecord {
  const row = lib.db.prepare('SELECT * FROM takes WHERE id = ?').get(id);
  if (!row) throw new StudioFailure('not-found', `no take ${id}; list them with "midi-valle takes list --render ID"`);
  return toTake(row as Json);
}

/** The chosen take of a take's segment, when that take is locked (the segment is then locked). */
function lockedChoice(lib: Library, segmentId: number): TakeRecord | undefined {
  const row = lib.db.prepare('SELECT * FROM takes WHERE segment_id = ? AND chosen = 1 AND locked = 1').get(segmentId);
  return row ? toTake(row as Json) : undefined;
}

const segmentNumberOf = (lib: Library, segmentId: number): number =>
  Number(lib.db.prepare('SELECT idx FROM segments WHERE id = ?').pluck().get(segmentId)) + 1;

/**
 * Makes a take the one its segment plays; the previous choice of that segment is unset. A segment
 * whose chosen take is locked keeps it: choosing another one is refused until it is unlocked.
 */
export function chooseTake(lib: Library, takeId: string): TakeRecord {
  lib.write(() => {
    const take = getTake(lib, takeId);
    const locked = lockedChoice(lib, take.segmentId);
    if (locked && locked.id !== takeId)
      throw new StudioFailure(
        'conflict',
        `segment ${segmentNumberOf(lib, take.segmentId)} is locked to take ${locked.id}; unlock it before choosing another take`,
      );
    lib.db.prepare('UPDATE takes SET chosen = 0 WHERE segment_id = ? AND chosen = 1').run(take.segmentId);
    lib.db.prepare('UPDATE takes SET chosen = 1 WHERE id = ?').run(takeId);
  });
  return getTake(lib, takeId);
}

/**
 * Locking a take makes it its segment's chosen take and keeps it there: the segment is not
 * regenerated, and no other take can be chosen until it is unlocked. Returns whether the chosen
 * take changed (the mix must then follow).
 */
export function setTakeLocked(
  lib: Library,
  takeId: string,
  locked: boolean,
): { take: TakeRecord; chosenChanged: boolean } {
  let chosenChanged = false;
  lib.write(() => {
    const take = getTake(lib, takeId);
    if (locked && !take.chosen) {
      chooseTake(lib, takeId);
      chosenChanged = true;
    }
    lib.db.prepare('UPDATE takes SET locked = ? WHERE id = ?').run(locked ? 1 : 0, takeId);
  });
  return { take: getTake(lib, takeId), chosenChanged };
}

/** Indices of a render's segments whose chosen take is locked. */
export function lockedSegmentIndices(lib: Library, renderId: string): number[] {
  return lib.db
    .prepare(
      `SELECT s.idx FROM segments s JOIN takes t ON t.segment_id = s.id
       WHERE s.render_id = ? AND t.chosen = 1 AND t.locked = 1 ORDER BY s.idx`,
    )
    .pluck()
    .all(renderId) as number[];
}

export function removeTake(lib: Library, takeId: string): void {
  const take = getTake(lib, takeId);
  if (take.locked) throw new StudioFailure('conflict', `take ${takeId} is locked; unlock it first`);
  lib.write(() => lib.db.prepare('DELETE FROM takes WHERE id = ?').run(takeId));
}

/** Everything that determines a segment's audio; equal keys give the same take. */
export interface RenderCacheKeyInput {
  pack: { id: string; version: string };
  tokensHash: string;
  /** What the engine imitates: the performer's prompt codes (neural) or its room (sampled grand). */
  voice: string | null;
  /** The seed the segment is generated with (null for an engine whose output does not depend on one). */
  seed: number | null;
  params: Json;
}

export function renderCacheKey(input: RenderCacheKeyInput): string {
  const canonical = canonicalJson({
    // v2: keys on the segment's own seed and the engine's voice (v1 keyed on the job's seed).
    v: 2,
    pack: `${input.pack.id}@${input.pack.version}`,
    tokens: input.tokensHash,
    voice: input.voice,
    seed: input.seed,
    params: input.params,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** A complete take with this key whose audio is on disk (newest first), if any. */
export function findCachedTake(lib: Library, key: string): TakeRecord | undefined {
  const rows = lib.db
    .prepare('SELECT * FROM takes WHERE cache_key = ? ORDER BY created_at DESC, rowid DESC')
    .all(key) as Json[];
  for (const row of rows) {
    const take = toTake(row);
    if (lib.blobs.has(take.audioHash)) return take;
  }
  return undefined;
}

export interface NewTakeBlobs {
  audioHash: string;
  audioFormat: string;
  codesHash?: string | null;
  peaksHash?: string | null;
  sampleRate: number;
  channels: number;
  duration: number;
  loudnessLufs?: number | null;
  peakDbfs?: number | null;
}

export interface NewTake extends NewTakeBlobs {
  segmentId: number;
  jobId: string | null;
  seed: number;
  segmentSeed: number | null;
  params: Json;
  cacheKey: string;
  /** Default: chosen when the segment has no chosen take yet. */
  chosen?: boolean;
  locked?: boolean;
  createdAt?: number;
}

/**
 * Inserts a take whose blobs are already stored (call inside a write transaction). The first take
 * of a segment becomes its chosen one.
 */
export function insertTake(lib: Library, take: NewTake): string {
  for (const hash of [take.audioHash, take.codesHash, take.peaksHash]) {
    if (hash && !lib.blobs.has(hash))
      throw new StudioFailure('runtime', `take blob ${hash} was not written before its row`);
  }
  const id = randomUUID();
  const chosen =
    take.chosen ?? !lib.db.prepare('SELECT 1 FROM takes WHERE segment_id = ? AND chosen = 1').get(take.segmentId);
  lib.db
    .prepare(
      `INSERT INTO takes (id, segment_id, job_id, seed, segment_seed, params_json, cache_key, audio_hash, audio_format,
         codes_hash, sample_rate, channels, duration, loudness_lufs, peak_dbfs, peaks_hash, chosen, locked, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      take.segmentId,
      take.jobId,
      take.seed,
      take.segmentSeed,
      JSON.stringify(take.params),
      take.cacheKey,
      take.audioHash,
      take.audioFormat,
      take.codesHash ?? null,
      take.sampleRate,
      take.channels,
      take.duration,
      take.loudnessLufs ?? null,
      take.peakDbfs ?? null,
      take.peaksHash ?? null,
      chosen ? 1 : 0,
      take.locked ? 1 : 0,
      take.createdAt ?? Date.now(),
    );
  return id;
}
