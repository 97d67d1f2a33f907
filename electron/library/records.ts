// Plain records the library hands out (camelCase, parsed JSON, booleans), and the row → record
// mapping. Times are milliseconds since the epoch.

export type Json = Record<string, unknown>;
export type Engine = 'sampler' | 'neural';
export type RenderStatus = 'queued' | 'rendering' | 'done' | 'failed' | 'cancelled' | 'interrupted';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** Job states a job can be run again from, to completion: never started, or stopped before the end. */
export const RESUMABLE_JOB_STATES: readonly JobStatus[] = ['queued', 'interrupted', 'cancelled', 'failed'];
/** 'refused': whoever added the performer said the performer does not consent (stored as given). */
export type Consent = 'self' | 'granted' | 'refused' | 'public-domain' | 'demo';

export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface PieceRecord {
  id: string;
  projectId: string;
  title: string;
  composer: string | null;
  playedBy: string | null;
  midiHash: string;
  midiName: string | null;
  stats: Json;
  createdAt: number;
}

export interface PromptAudioInfo {
  hash: string;
  format: string; // container of the stored bytes: 'wav', 'flac', ...
  sampleRate: number;
  channels: number;
  duration: number; // seconds
}

export interface PerformerRecord {
  id: string;
  name: string;
  promptAudio: PromptAudioInfo;
  promptMidiHash: string;
  promptTokensHash: string | null;
  tags: { piano: string | null; room: string | null; source: string | null };
  licence: string;
  consent: { kind: Consent; by: string | null; at: number | null };
  /** Who made the prompt recording, when the person adding the performer said. */
  recordedBy: string | null;
  notes: string;
  demo: boolean;
  createdAt: number;
}

export interface RenderRecord {
  id: string;
  /** A name the user gave it (null: labelled by piece, performer and date). */
  name: string | null;
  pieceId: string;
  performerId: string | null;
  engine: Engine;
  packId: string;
  packVersion: string;
  params: Json;
  seed: number;
  device: string | null;
  status: RenderStatus;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface SegmentRecord {
  id: number;
  renderId: string;
  index: number;
  start: number;
  end: number;
  tokensHash: string;
}

export interface TakeRecord {
  id: string;
  segmentId: number;
  jobId: string | null;
  /** The seed of the job that made the take (what the user gave or was given). */
  seed: number;
  /** The seed this segment was generated with (derived from `seed`); null for an engine that takes none. */
  segmentSeed: number | null;
  params: Json;
  cacheKey: string;
  audioHash: string;
  audioFormat: string;
  codesHash: string | null;
  sampleRate: number;
  channels: number;
  duration: number;
  loudnessLufs: number | null;
  peakDbfs: number | null;
  peaksHash: string | null;
  chosen: boolean;
  locked: boolean;
  createdAt: number;
}

export interface JobRecord {
  id: string;
  kind: string;
  renderId: string | null;
  status: JobStatus;
  /** The seed the job's segments derive theirs from. */
  seed: number;
  options: Json;
  total: number;
  done: number;
  error: string | null;
  ownerPid: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
}

type Row = Record<string, unknown>;
const str = (v: unknown): string => v as string;
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const json = (v: unknown): Json => (typeof v === 'string' ? (JSON.parse(v) as Json) : {});

export const toProject = (r: Row): ProjectRecord => ({
  id: str(r.id),
  name: str(r.name),
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
});

export const toPiece = (r: Row): PieceRecord => ({
  id: str(r.id),
  projectId: str(r.project_id),
  title: str(r.title),
  composer: strOrNull(r.composer),
  playedBy: strOrNull(r.played_by),
  midiHash: str(r.midi_hash),
  midiName: strOrNull(r.midi_name),
  stats: json(r.stats_json),
  createdAt: num(r.created_at),
});

export const toPerformer = (r: Row): PerformerRecord => ({
  id: str(r.id),
  name: str(r.name),
  promptAudio: {
    hash: str(r.prompt_audio_hash),
    format: str(r.prompt_audio_format),
    sampleRate: num(r.prompt_sample_rate),
    channels: num(r.prompt_channels),
    duration: num(r.prompt_duration),
  },
  promptMidiHash: str(r.prompt_midi_hash),
  promptTokensHash: strOrNull(r.prompt_tokens_hash),
  tags: { piano: strOrNull(r.tag_piano), room: strOrNull(r.tag_room), source: strOrNull(r.tag_source) },
  licence: str(r.licence),
  consent: { kind: str(r.consent) as Consent, by: strOrNull(r.consent_by), at: numOrNull(r.consent_at) },
  recordedBy: strOrNull(r.recorded_by),
  notes: str(r.notes),
  demo: r.demo === 1,
  createdAt: num(r.created_at),
});

export const toRender = (r: Row): RenderRecord => ({
  id: str(r.id),
  name: strOrNull(r.name),
  pieceId: str(r.piece_id),
  performerId: strOrNull(r.performer_id),
  engine: str(r.engine) as Engine,
  packId: str(r.pack_id),
  packVersion: str(r.pack_version),
  params: json(r.params_json),
  seed: num(r.seed),
  device: strOrNull(r.device),
  status: str(r.status) as RenderStatus,
  error: strOrNull(r.error),
  createdAt: num(r.created_at),
  startedAt: numOrNull(r.started_at),
  finishedAt: numOrNull(r.finished_at),
});

export const toSegment = (r: Row): SegmentRecord => ({
  id: num(r.id),
  renderId: str(r.render_id),
  index: num(r.idx),
  start: num(r.start_s),
  end: num(r.end_s),
  tokensHash: str(r.tokens_hash),
});

export const toTake = (r: Row): TakeRecord => ({
  id: str(r.id),
  segmentId: num(r.segment_id),
  jobId: strOrNull(r.job_id),
  seed: num(r.seed),
  segmentSeed: numOrNull(r.segment_seed),
  params: json(r.params_json),
  cacheKey: str(r.cache_key),
  audioHash: str(r.audio_hash),
  audioFormat: str(r.audio_format),
  codesHash: strOrNull(r.codes_hash),
  sampleRate: num(r.sample_rate),
  channels: num(r.channels),
  duration: num(r.duration),
  loudnessLufs: numOrNull(r.loudness_lufs),
  peakDbfs: numOrNull(r.peak_dbfs),
  peaksHash: strOrNull(r.peaks_hash),
  chosen: r.chosen === 1,
  locked: r.locked === 1,
  createdAt: num(r.created_at),
});

export const toJob = (r: Row): JobRecord => ({
  id: str(r.id),
  kind: str(r.kind),
  renderId: strOrNull(r.render_id),
  status: str(r.status) as JobStatus,
  seed: num(r.seed),
  options: json(r.options_json),
  total: num(r.total),
  done: num(r.done),
  error: strOrNull(r.error),
  ownerPid: numOrNull(r.owner_pid),
  createdAt: num(r.created_at),
  startedAt: numOrNull(r.started_at),
  finishedAt: numOrNull(r.finished_at),
  updatedAt: num(r.updated_at),
});

/** Stable JSON (sorted keys) so equal parameters give equal cache keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Json)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
