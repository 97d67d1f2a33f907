// Stored performer profiles (migration 0004). The library keeps the JSON as given; the audio domain
// (electron/audio/match) says what a valid profile is, and the services decide when to fit one.
import type { Library } from './library';
import { getPerformer } from './performers';
import type { Json } from './records';

export interface StoredProfile {
  performerId: string;
  format: number;
  version: string;
  profile: unknown;
  lowConfidence: boolean;
  createdAt: number;
}

export function putPerformerProfile(
  lib: Library,
  performerId: string,
  input: { format: number; version: string; profile: unknown; lowConfidence: boolean },
): StoredProfile {
  lib.write(() => {
    getPerformer(lib, performerId);
    lib.db
      .prepare(
        `INSERT INTO performer_profiles (performer_id, format, version, profile_json, low_confidence, created_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (performer_id) DO UPDATE SET format = excluded.format, version = excluded.version,
           profile_json = excluded.profile_json, low_confidence = excluded.low_confidence, created_at = excluded.created_at`,
      )
      .run(
        performerId,
        input.format,
        input.version,
        JSON.stringify(input.profile),
        input.lowConfidence ? 1 : 0,
        Date.now(),
      );
  });
  return getPerformerProfile(lib, performerId)!;
}

/** The stored profile, or undefined when none was fitted yet. */
export function getPerformerProfile(lib: Library, performerId: string): StoredProfile | undefined {
  const row = lib.db.prepare('SELECT * FROM performer_profiles WHERE performer_id = ?').get(performerId) as
    Json | undefined;
  if (!row) return undefined;
  let profile: unknown;
  try {
    profile = JSON.parse(String(row.profile_json));
  } catch {
    profile = undefined; // a damaged row is refitted like a missing one
  }
  return {
    performerId,
    format: Number(row.format),
    version: String(row.version),
    profile,
    lowConfidence: Number(row.low_confidence) === 1,
    createdAt: Number(row.created_at),
  };
}
