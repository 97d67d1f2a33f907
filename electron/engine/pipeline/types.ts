// Plain-data types of the generation pipeline. They cross the engine host boundary, so typed arrays and
// numbers only (no classes).
import type { SamplingOptions } from '../sampling/sampler';

/** A performer's prompt: Piano-Encodec codes of the prompt audio, row-major [frames, 4]. */
export interface PromptCodes {
  codes: Int32Array;
  frames: number;
}

/** One segment to render: the MIDI token matrix (row-major [rows, 6], BOS row, prompt rows, target rows, EOS row). */
export interface SegmentInput {
  tokens: Int32Array;
  rows: number;
  /** uint32; same seed + same inputs ⇒ same audio (CPU). */
  seed: number;
  /** Expected audio frames (segment seconds × 50), only for the ETA; default 4 × rows. */
  expectedFrames?: number;
}

export type GenerationMode = 'kv-cache' | 'full-recompute';

export interface GenerateOptions {
  sampling: SamplingOptions;
  /** 'kv-cache' (default) or the official no-cache algorithm (one segment at a time). */
  mode?: GenerationMode;
  /** Segments generated together; default 1. Rows of a batch stop at their own EOS. */
  batchSize?: number;
  /** Lower the per-segment frame cap below the official 16·rows + 1 (benchmarks, previews). */
  maxFrames?: number;
  /** Skip the codec decoder (benchmarks of the token stages, code-only callers). */
  skipDecode?: boolean;
  /**
   * Speculative decoding where the pack has a draft decoder and a batch holds one segment (default true):
   * the same distribution of audio, in less time; false decodes plainly (benchmarks, comparisons).
   */
  speculative?: boolean;
}

export type StopReason = 'eos' | 'cap' | 'eos-first-step' | 'max-frames';

export interface SegmentResult {
  /** Index of the segment in the request's `segments` array. */
  index: number;
  seed: number;
  frames: number;
  /** Generated codes, row-major [frames, 4] (prompt frames excluded). */
  codes: Int32Array;
  /** 32 kHz mono, 640 samples a frame; empty when the model stopped at once. */
  audio: Float32Array;
  stopReason: StopReason;
  warnings: string[];
  /** Speculative decoding only: frames the draft proposed and how many the pack's decoder kept. */
  drafted?: { proposed: number; accepted: number };
}

export type GenerationPhase = 'embed' | 'ar' | 'nar' | 'decode';

export interface GenerateProgress {
  phase: GenerationPhase;
  /** Request indices of the segments in the batch being worked on. */
  segments: number[];
  /** Segments finished so far, of `totalSegments`. */
  segmentsDone: number;
  totalSegments: number;
  /** Frames generated so far in this batch (per row, by batch position). */
  frames: number[];
  /** Seconds left, estimated from the step rate and the expected frames; null before the first steps. */
  etaSeconds: number | null;
}
