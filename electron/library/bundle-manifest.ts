import { z } from 'zod';

// The manifest.json at the root of a project bundle. Everything in it is checked before import
// writes anything; ids are the exporter's and are replaced by fresh ones on import.

export const BUNDLE_FORMAT = 'midi-valle-bundle';
export const BUNDLE_VERSION = 1;

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex hash');
const id = z.string().min(1).max(100);
const text = z.string().max(10_000);
const json = z.record(z.string(), z.unknown());

const take = z
  .object({
    seed: z.number().int(),
    /** The seed the segment was generated with (bundles made before schema 3 lack it). */
    segmentSeed: z.number().int().nullable().optional(),
    params: json,
    cacheKey: z.string().max(200),
    audioHash: hash,
    audioFormat: z.string().min(1).max(20),
    codesHash: hash.nullable(),
    peaksHash: hash.nullable(),
    sampleRate: z.number().int().positive().max(1_000_000),
    channels: z.number().int().positive().max(64),
    duration: z.number().nonnegative().finite(),
    loudnessLufs: z.number().finite().nullable(),
    peakDbfs: z.number().finite().nullable(),
    locked: z.boolean(),
  })
  .strict();

export const bundleManifestSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    createdAt: z.number().int().nonnegative(),
    project: z.object({ id, name: z.string().min(1).max(500) }).strict(),
    pieces: z.array(
      z
        .object({
          id,
          title: z.string().min(1).max(500),
          composer: text.nullable(),
          playedBy: text.nullable(),
          midiHash: hash,
          midiName: text.nullable(),
          stats: json,
        })
        .strict(),
    ),
    performers: z.array(
      z
        .object({
          id,
          name: z.string().min(1).max(200),
          promptAudio: z
            .object({
              hash,
              format: z.string().min(1).max(20),
              sampleRate: z.number().int().positive().max(1_000_000),
              channels: z.number().int().positive().max(64),
              duration: z.number().nonnegative().finite(),
            })
            .strict(),
          promptMidiHash: hash,
          promptTokensHash: hash.nullable(),
          tags: z.object({ piano: text.nullable(), room: text.nullable(), source: text.nullable() }).strict(),
          licence: z.string().min(1).max(2000),
          consent: z
            .object({
              kind: z.enum(['self', 'granted', 'refused', 'public-domain', 'demo']),
              by: text.nullable(),
              at: z.number().int().nullable(),
            })
            .strict(),
          /** Who made the recording (bundles from before schema 6 lack it). */
          recordedBy: text.nullable().optional(),
          notes: text,
          demo: z.boolean(),
        })
        .strict(),
    ),
    renders: z.array(
      z
        .object({
          id,
          pieceId: id,
          performerId: id.nullable(),
          engine: z.enum(['sampler', 'neural']),
          packId: z.string().min(1).max(200),
          packVersion: z.string().min(1).max(100),
          params: json,
          seed: z.number().int(),
          device: text.nullable(),
          segments: z.array(
            z
              .object({
                index: z.number().int().nonnegative(),
                start: z.number().finite(),
                end: z.number().finite(),
                tokensHash: z.string().min(1).max(200),
                take: take.nullable(), // the chosen take only
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    blobs: z.array(z.object({ hash, size: z.number().int().nonnegative() }).strict()),
  })
  .strict();

export type BundleManifest = z.infer<typeof bundleManifestSchema>;

/** Hashes the manifest's rows name; every one must be in `blobs` and in the zip. */
export function manifestBlobHashes(m: BundleManifest): Set<string> {
  const out = new Set<string>();
  for (const p of m.pieces) out.add(p.midiHash);
  for (const p of m.performers) {
    out.add(p.promptAudio.hash);
    out.add(p.promptMidiHash);
    if (p.promptTokensHash) out.add(p.promptTokensHash);
  }
  for (const r of m.renders) {
    for (const s of r.segments) {
      if (!s.take) continue;
      out.add(s.take.audioHash);
      if (s.take.codesHash) out.add(s.take.codesHash);
      if (s.take.peaksHash) out.add(s.take.peaksHash);
    }
  }
  return out;
}

/** Cross-row checks zod cannot express: references inside the manifest resolve, ids are unique. */
export function manifestConsistencyErrors(m: BundleManifest): string[] {
  const errors: string[] = [];
  const pieceIds = new Set(m.pieces.map((p) => p.id));
  const performerIds = new Set(m.performers.map((p) => p.id));
  if (pieceIds.size !== m.pieces.length) errors.push('duplicate piece ids');
  if (performerIds.size !== m.performers.length) errors.push('duplicate performer ids');
  const names = new Set(m.performers.map((p) => p.name.toLowerCase()));
  if (names.size !== m.performers.length) errors.push('duplicate performer names');
  const renderIds = new Set<string>();
  for (const r of m.renders) {
    if (renderIds.has(r.id)) errors.push(`duplicate render id ${r.id}`);
    renderIds.add(r.id);
    if (!pieceIds.has(r.pieceId)) errors.push(`render ${r.id} names unknown piece ${r.pieceId}`);
    if (r.performerId !== null && !performerIds.has(r.performerId))
      errors.push(`render ${r.id} names unknown performer ${r.performerId}`);
    const indices = new Set(r.segments.map((s) => s.index));
    if (indices.size !== r.segments.length) errors.push(`render ${r.id} repeats a segment index`);
    if (r.segments.length === 0) errors.push(`render ${r.id} has no segments`);
  }
  const listed = new Set(m.blobs.map((b) => b.hash));
  if (listed.size !== m.blobs.length) errors.push('duplicate blob entries');
  for (const h of manifestBlobHashes(m)) if (!listed.has(h)) errors.push(`blob ${h} is used but not listed`);
  return errors;
}
