export { SAMPLER_LABEL, SAMPLER_ENGINE_ID, SALAMANDER_ATTRIBUTION } from './attribution';
export {
  renderWithSampler,
  samplerTailSeconds,
  samplerRenderSeconds,
  musicEndSeconds,
  DRY_RELEASE_TAIL_SECONDS,
  type SamplerOptions,
  type SamplerMatch,
} from './render';
export { ROOM_PRESETS, roomTailSeconds, type RoomPreset } from './reverb';
export { planVoices, layerForVelocity, DEFAULT_MAX_VOICES, type Voice } from './voice-plan';
export { clearSampleCache, sampleCacheBytes, setSamplerDiskCache, VELOCITY_LAYERS } from './sample-bank';
