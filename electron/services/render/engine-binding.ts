// What the render job asks of an engine (the sampled grand, the neural engine): a segment in, its
// audio out. The job owns the order, the seeds, the cache and the library; an engine only renders.
import type { Json, RenderRecord, SegmentRecord } from '../../library';
import type { RenderPlan } from './plan';

/** One segment to render, with the seed it renders with (derived by the job, never by the engine). */
export interface SegmentWork {
  render: RenderRecord;
  segment: SegmentRecord;
  /** The segment's own seed; null for an engine whose output does not depend on one. */
  seed: number | null;
  params: Json;
  cacheKey: string;
  signal: AbortSignal | undefined;
}

/** Encoded audio (and optionally codec codes and waveform peaks) plus facts about it. */
export interface RenderedSegment {
  audio: Uint8Array;
  audioFormat?: string; // default 'wav'
  sampleRate: number;
  channels: number;
  duration: number;
  codes?: Uint8Array | null;
  peaks?: Uint8Array | null;
  loudnessLufs?: number | null;
  peakDbfs?: number | null;
}

/** An engine ready for one job's render. */
export interface OpenEngine {
  /** What the engine imitates (prompt codes, room): part of the render cache key. */
  voice: string | null;
  /**
   * Renders `work`. `upcoming` lists the segments the job will ask for next (those the cache does
   * not hold), in order, so an engine that batches can generate them together.
   */
  render(work: SegmentWork, upcoming: readonly SegmentWork[]): Promise<RenderedSegment>;
}

export interface SegmentEngine {
  /** Whether a segment's audio depends on its seed; a deterministic engine makes one take per input. */
  seeded: boolean;
  open(render: RenderRecord, jobId: string): Promise<OpenEngine>;
}

/** An engine as the job module sees it: how to render, and what to settle before a render is stored. */
export interface RenderEngine extends SegmentEngine {
  /** The pack this engine renders with (the neural engine's chosen pack; the sampled grand's fixed id). */
  pack(packId: string | undefined): Promise<{ id: string; version: string }>;
  /** Fails before anything is stored when a plan cannot be rendered (e.g. a segment past the model's limit). */
  check?(plan: RenderPlan): void;
}
