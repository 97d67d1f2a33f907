import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { writeFileAtomicSync } from '../shared/atomic-write';
import { StudioFailure } from '../shared/failure';
import { cleanTitle, nameKey } from '../shared/untrusted-text';
import { sha256Hex } from './blobs';
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  bundleManifestSchema,
  manifestBlobHashes,
  manifestConsistencyErrors,
  type BundleManifest,
} from './bundle-manifest';
import { recordExport } from './exports';
import type { Library } from './library';
import { getProject, listPieces } from './projects';
import { getPerformer, insertPerformerRow } from './performers';
import { createRender, insertTake, listSegments, setRenderStatus } from './renders';
import { toRender, toTake, type Json } from './records';

/** Limits on what an import accepts; a bundle beyond them is refused before it is unpacked. */
export const BUNDLE_LIMITS = {
  maxFileBytes: 2 * 1024 ** 3,
  maxTotalBytes: 4 * 1024 ** 3,
  maxEntryBytes: 1024 ** 3,
  maxEntries: 100_000,
  maxManifestBytes: 64 * 1024 ** 2,
};

const ENTRY_RE = /^(manifest\.json|blobs\/[0-9a-f]{64})$/;

/** Collects a project's pieces, the renders of those pieces with their chosen takes, and their performers. */
function buildManifest(lib: Library, projectId: string): BundleManifest {
  const project = getProject(lib, projectId);
  const pieces = listPieces(lib, projectId);
  const renders = lib.db
    .prepare(
      `SELECT r.* FROM renders r JOIN pieces p ON p.id = r.piece_id WHERE p.project_id = ? ORDER BY r.created_at, r.rowid`,
    )
    .all(projectId)
    .map((r) => toRender(r as Json));
  const performerIds = [...new Set(renders.map((r) => r.performerId).filter((x): x is string => x !== null))];
  const chosenTake = lib.db.prepare('SELECT * FROM takes WHERE segment_id = ? AND chosen = 1');
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt: Date.now(),
    project: { id: project.id, name: project.name },
    pieces: pieces.map((p) => ({
      id: p.id,
      title: p.title,
      composer: p.composer,
      playedBy: p.playedBy,
      midiHash: p.midiHash,
      midiName: p.midiName,
      stats: p.stats,
    })),
    performers: performerIds.map((id) => {
      const p = getPerformer(lib, id);
      return {
        id: p.id,
        name: p.name,
        promptAudio: p.promptAudio,
        promptMidiHash: p.promptMidiHash,
        promptTokensHash: p.promptTokensHash,
        tags: p.tags,
        licence: p.licence,
        consent: p.consent,
        recordedBy: p.recordedBy,
        notes: p.notes,
        demo: p.demo,
      };
    }),
    renders: renders.map((r) => ({
      id: r.id,
      pieceId: r.pieceId,
      performerId: r.performerId,
      engine: r.engine,
      packId: r.packId,
      packVersion: r.packVersion,
      params: r.params,
      seed: r.seed,
      device: r.device,
      segments: listSegments(lib, r.id).map((s) => {
        const row = chosenTake.get(s.id);
        const t = row ? toTake(row as Json) : undefined;
        return {
          index: s.index,
          start: s.start,
          end: s.end,
          tokensHash: s.tokensHash,
          take: t
            ? {
                seed: t.seed,
                segmentSeed: t.segmentSeed,
                params: t.params,
                cacheKey: t.cacheKey,
                audioHash: t.audioHash,
                audioFormat: t.audioFormat,
                codesHash: t.codesHash,
                peaksHash: t.peaksHash,
                sampleRate: t.sampleRate,
                channels: t.channels,
                duration: t.duration,
                loudnessLufs: t.loudnessLufs,
                peakDbfs: t.peakDbfs,
                locked: t.locked,
              }
            : null,
        };
      }),
    })),
    blobs: [],
  };
  manifest.blobs = [...manifestBlobHashes(manifest)]
    .sort()
    .map((hash) => ({ hash, size: statSync(lib.blobPath(hash)).size }));
  return manifest;
}

export interface BundleExportResult {
  path: string;
  bytes: number;
  pieces: number;
  performers: number;
  renders: number;
  takes: number;
  blobs: number;
}

/** Exports one project (pieces, performers, renders with their chosen takes, and every blob they use) to a .zip. */
export function exportProjectBundle(lib: Library, projectId: string, outPath: string): BundleExportResult {
  const manifest = buildManifest(lib, projectId);
  const files: Zippable = { 'manifest.json': [strToU8(JSON.stringify(manifest, null, 2)), { level: 6 }] };
  for (const blob of manifest.blobs) files[`blobs/${blob.hash}`] = [lib.getBlob(blob.hash), { level: 1 }];
  const zipped = zipSync(files);
  writeFileAtomicSync(outPath, zipped);
  const takes = manifest.renders.reduce((n, r) => n + r.segments.filter((s) => s.take).length, 0);
  recordExport(lib, {
    projectId,
    kind: 'bundle',
    files: [{ path: outPath, bytes: zipped.byteLength, sha256: sha256Hex(zipped), format: 'zip' }],
  });
  return {
    path: outPath,
    bytes: zipped.byteLength,
    pieces: manifest.pieces.length,
    performers: manifest.performers.length,
    renders: manifest.renders.length,
    takes,
    blobs: manifest.blobs.length,
  };
}

// `why` may quote names from the manifest (a performer id, an entry name): keep the message one line.
const bad = (why: string): StudioFailure =>
  new StudioFailure('bad-input', `not a valid MIDI-VALLE project bundle: ${why.replace(/\p{Cc}+/gu, ' ')}`);

/** Unpacks and checks a bundle completely in memory; throws before anything is written. */
export function readBundle(zipBytes: Uint8Array): { manifest: BundleManifest; blobs: Map<string, Uint8Array> } {
  if (zipBytes.byteLength > BUNDLE_LIMITS.maxFileBytes)
    throw bad(`the file is larger than ${BUNDLE_LIMITS.maxFileBytes} bytes`);
  const seen = new Set<string>();
  let declared = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zipBytes, {
      filter(file) {
        if (!ENTRY_RE.test(file.name)) throw bad(`unexpected entry ${JSON.stringify(file.name.slice(0, 200))}`);
        if (seen.has(file.name)) throw bad(`entry ${file.name} appears twice`);
        seen.add(file.name);
        if (seen.size > BUNDLE_LIMITS.maxEntries) throw bad('too many entries');
        if (file.originalSize > BUNDLE_LIMITS.maxEntryBytes) throw bad(`entry ${file.name} is too large`);
        declared += file.originalSize;
        if (declared > BUNDLE_LIMITS.maxTotalBytes) throw bad('it unpacks to more than the size limit');
        return true;
      },
    });
  } catch (error) {
    if (error instanceof StudioFailure) throw error;
    throw bad(`the zip cannot be read (${(error as Error).message})`);
  }
  const manifestBytes = entries['manifest.json'];
  if (!manifestBytes) throw bad('manifest.json is missing');
  if (manifestBytes.byteLength > BUNDLE_LIMITS.maxManifestBytes) throw bad('manifest.json is too large');
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(manifestBytes));
  } catch {
    throw bad('manifest.json is not JSON');
  }
  const parsed = bundleManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw bad(`manifest.json: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'}`);
  }
  const manifest = parsed.data;
  const errors = manifestConsistencyErrors(manifest);
  if (errors.length > 0) throw bad(`manifest.json: ${errors[0]}`);
  const blobs = new Map<string, Uint8Array>();
  for (const { hash, size } of manifest.blobs) {
    const bytes = entries[`blobs/${hash}`];
    if (!bytes) throw bad(`blob ${hash} is listed but missing`);
    if (bytes.byteLength !== size) throw bad(`blob ${hash} has ${bytes.byteLength} bytes, the manifest says ${size}`);
    if (sha256Hex(bytes) !== hash) throw bad(`blob ${hash} does not match its hash (damaged or altered)`);
    blobs.set(hash, bytes);
  }
  for (const name of Object.keys(entries)) {
    if (name !== 'manifest.json' && !blobs.has(name.slice('blobs/'.length)))
      throw bad(`entry ${name} is not listed in the manifest`);
  }
  return { manifest, blobs };
}

export interface BundleImportResult {
  projectId: string;
  projectName: string;
  pieces: number;
  performersAdded: number;
  performersReused: number;
  renders: number;
  takes: number;
}

/**
 * Imports a bundle as a new project (fresh ids, so importing twice gives two copies). Validation
 * covers the whole bundle first; blobs are then stored (atomic, content-addressed: a crash leaves
 * only unreferenced blobs for gc) and all rows go in one transaction. A performer with the same
 * name and prompt is reused; the same name with another prompt is imported under a new name.
 */
export function importProjectBundle(lib: Library, source: string | Uint8Array): BundleImportResult {
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    let size: number;
    try {
      size = statSync(source).size;
    } catch {
      throw new StudioFailure('not-found', `no bundle file at ${source}`);
    }
    if (size > BUNDLE_LIMITS.maxFileBytes) throw bad(`the file is larger than ${BUNDLE_LIMITS.maxFileBytes} bytes`);
    bytes = readFileSync(source);
  } else {
    bytes = source;
  }
  const { manifest, blobs } = readBundle(bytes);
  for (const blob of blobs.values()) lib.putBlob(blob);
  return lib.write(() => insertManifest(lib, manifest));
}

function insertManifest(lib: Library, m: BundleManifest): BundleImportResult {
  const now = Date.now();
  const projectId = randomUUID();
  lib.db
    .prepare('INSERT INTO projects (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)')
    .run(projectId, cleanTitle(m.project.name) || 'Imported project', now, now);
  const pieceIds = new Map<string, string>();
  const insertPiece = lib.db.prepare(
    `INSERT INTO pieces (id, project_id, title, composer, played_by, midi_hash, midi_name, stats_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const p of m.pieces) {
    const id = randomUUID();
    pieceIds.set(p.id, id);
    insertPiece.run(
      id,
      projectId,
      cleanTitle(p.title) || 'Untitled',
      p.composer == null ? null : cleanTitle(p.composer),
      p.playedBy == null ? null : cleanTitle(p.playedBy),
      p.midiHash,
      p.midiName,
      JSON.stringify(p.stats),
      now,
    );
  }
  const performerIds = new Map<string, string>();
  let added = 0;
  let reused = 0;
  // Names from another library are cleaned (no control characters) and compared as names are here.
  const taken = new Map<string, { id: string; prompt_audio_hash: string }>();
  for (const row of lib.db.prepare('SELECT id, name, prompt_audio_hash FROM performers').all() as Array<{
    id: string;
    name: string;
    prompt_audio_hash: string;
  }>) {
    taken.set(nameKey(row.name), row);
    taken.set(row.id.toLowerCase(), row);
  }
  for (const p of m.performers) {
    const clean = cleanTitle(p.name) || 'Performer';
    const same = taken.get(nameKey(clean));
    if (same && same.prompt_audio_hash === p.promptAudio.hash) {
      performerIds.set(p.id, same.id);
      reused++;
      continue;
    }
    let name = clean;
    for (let n = 2; taken.has(nameKey(name)); n++) name = `${clean} (${n})`;
    const id = randomUUID();
    performerIds.set(p.id, id);
    taken.set(nameKey(name), { id, prompt_audio_hash: p.promptAudio.hash });
    added++;
    insertPerformerRow(lib, { ...p, id, name, createdAt: now, recordedBy: p.recordedBy ?? null });
  }
  let takes = 0;
  for (const r of m.renders) {
    // Through the entity modules, so a bundle fills every column exactly as a render made here does.
    const render = createRender(lib, {
      pieceId: pieceIds.get(r.pieceId)!,
      performerId: r.performerId ? performerIds.get(r.performerId)! : null,
      engine: r.engine,
      pack: { id: r.packId, version: r.packVersion },
      params: r.params,
      seed: r.seed,
      device: r.device,
      segments: r.segments.map((s) => ({ index: s.index, start: s.start, end: s.end, tokensHash: s.tokensHash })),
    });
    const segmentIds = new Map(listSegments(lib, render.id).map((s) => [s.index, s.id]));
    for (const s of r.segments) {
      const t = s.take;
      if (!t) continue;
      takes++;
      insertTake(lib, {
        ...t,
        segmentId: segmentIds.get(s.index)!,
        jobId: null,
        segmentSeed: t.segmentSeed ?? null,
        chosen: true,
        createdAt: now,
      });
    }
    if (r.segments.every((s) => s.take)) setRenderStatus(lib, render.id, 'done');
  }
  return {
    projectId,
    projectName: m.project.name,
    pieces: m.pieces.length,
    performersAdded: added,
    performersReused: reused,
    renders: m.renders.length,
    takes,
  };
}
