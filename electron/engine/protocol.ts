// The typed message protocol between EngineClient and the engine host process.
// Transport: structured clone (child_process.fork with serialization 'advanced', or Electron's
// utilityProcess postMessage), so typed arrays travel as binary copies, never as JSON number lists.
// Errors travel as values {code, message}; the host never throws across the boundary.
import type { Result } from '../shared/failure';
import type { PackDims } from './runtime/pack-graphs';
import type { ProviderAttempt, ProviderName, ProviderPreferences } from './runtime/providers';
import type { GenerateOptions, GenerateProgress, PromptCodes, SegmentInput, SegmentResult } from './pipeline/types';

export interface EngineHello {
  pid: number;
  ortVersion: string;
  /** ORT's own list for this build, e.g. cpu (bundled), webgpu (bundled), cuda (not bundled). */
  backends: Array<{ name: string; bundled: boolean }>;
  loadedPack: LoadedPackInfo | null;
}

export interface LoadedPackInfo {
  dir: string;
  id: string;
  version: string;
  dims: PackDims;
  /** The provider the AR step graph runs on (the one that matters for speed). */
  provider: ProviderName;
  /** Per graph, the provider actually used. */
  providers: Record<string, ProviderName>;
  /** Every provider tried, in order, with the error of those that failed. */
  attempts: ProviderAttempt[];
  threads: number;
  loadMs: number;
}

export interface LoadPackProgress {
  graph: string;
  index: number;
  total: number;
}

export interface EncodePromptRequest {
  /** Mono samples at the pack's sample rate (32 kHz); resampling is the caller's job. */
  samples: Float32Array;
  sampleRate: number;
}

export interface GenerateRequest {
  prompt: PromptCodes;
  segments: SegmentInput[];
  options: GenerateOptions;
  /**
   * Send each segment as a 'segment' message as soon as its audio exists. The final reply then lists only
   * the results not sent that way (none, in practice), so no segment's audio crosses the boundary twice;
   * the client puts them back in request order by `index`.
   */
  streamSegments?: boolean;
}

export interface DecodeRequest {
  /** Row-major [frames, 4]. */
  codes: Int32Array;
}

/** Request type → [payload, reply value, progress event]. */
export interface EngineMethods {
  hello: [Record<string, never>, EngineHello, never];
  /**
   * `cacheDir`: a folder of the caller's where the host may record which packs passed their checksum check,
   * so that a new engine process loads an unchanged pack without hashing it again.
   */
  'load-pack': [
    { dir: string; preferences?: ProviderPreferences; cacheDir?: string },
    LoadedPackInfo,
    LoadPackProgress,
  ];
  'encode-prompt': [EncodePromptRequest, PromptCodes, never];
  generate: [GenerateRequest, SegmentResult[], GenerateProgress];
  decode: [DecodeRequest, { audio: Float32Array }, never];
  /** Cancels the request with id `target` (running or queued); replies whether it was found. */
  cancel: [{ target: number }, { found: boolean }, never];
  unload: [Record<string, never>, { released: boolean }, never];
}

export type EngineRequestType = keyof EngineMethods;
export type PayloadOf<T extends EngineRequestType> = EngineMethods[T][0];
export type ValueOf<T extends EngineRequestType> = EngineMethods[T][1];
export type ProgressOf<T extends EngineRequestType> = EngineMethods[T][2];

export interface HostRequest<T extends EngineRequestType = EngineRequestType> {
  id: number;
  type: T;
  payload: PayloadOf<T>;
}

export type HostMessage =
  | { id: number; kind: 'result'; result: Result<unknown> }
  | { id: number; kind: 'progress'; progress: unknown }
  /** One finished segment of a running 'generate' (with `streamSegments`), before its final reply. */
  | { id: number; kind: 'segment'; segment: SegmentResult }
  | { id: 0; kind: 'log'; level: 'info' | 'warn'; message: string };

export const ENGINE_REQUEST_TYPES: readonly EngineRequestType[] = [
  'hello',
  'load-pack',
  'encode-prompt',
  'generate',
  'decode',
  'cancel',
  'unload',
];
