// Public surface of the engine domain for services, the CLI and the browser host.
export { EngineClient, type CallOptions, type GenerateCallOptions } from './client/engine-client';
export {
  forkTransport,
  utilityProcessTransport,
  DEFAULT_ENGINE_ENTRY,
  type EngineTransport,
  type ForkOptions,
  type UtilityProcessLike,
} from './client/transport';
export type { EngineHello, LoadedPackInfo, LoadPackProgress } from './protocol';
export type { ProviderName, ProviderPreferences, ProviderAttempt } from './runtime/providers';
export type { PackDims } from './runtime/pack-graphs';
export type {
  GenerateOptions,
  GenerateProgress,
  GenerationMode,
  PromptCodes,
  SegmentInput,
  SegmentResult,
  StopReason,
} from './pipeline/types';
export { OFFICIAL_SAMPLING, type SamplingOptions } from './sampling/sampler';
export { randomSeed } from './sampling/prng';
export { officialFrameCap } from './pipeline/generate';
export { ENGINE_HOST_EXEC_ARGV, engineHostEnv } from './host/host-env';
