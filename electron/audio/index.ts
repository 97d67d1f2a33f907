// Public API of the audio domain (plain TypeScript, no Electron).
export * from './audio-data';
export { decodeAudio, sniffContainer, MIN_AUDIO_SECONDS, type AudioContainer } from './decode';
export { resample, resampleChannel, type ResampleOptions, type ResampleQuality } from './resample';
export { assembleSegments, JOIN_MODES, type JoinMode, type JoinOptions, type SegmentPiece } from './join';
export { measureLoudness, integratedLoudness, kWeightingFilters, type LoudnessReport } from './loudness';
export { truePeakDb, channelTruePeak } from './true-peak';
export { reconcileStems, splitByMasks, type MaskSplitOptions } from './stem-split';
export { encoderPeakLimit, fullScaleOf, countAtOrBeyond } from './clip-guard';
export {
  normalizeLoudness,
  limitPeaks,
  limiterGain,
  applyGainCurve,
  loudnessMatchGainDb,
  loudnessMatchGains,
  DEFAULT_TARGET_LUFS,
  DEFAULT_TRUE_PEAK_CEILING_DB,
  type NormalizeOptions,
  type NormalizeResult,
} from './normalize';
export {
  encodeAudio,
  EXPORT_SAMPLE_RATES,
  FORMAT_EXTENSIONS,
  type EncodeOptions,
  type ExportFormat,
  type ExportSampleRate,
} from './encode';
export { writeAudioFile, readAudioFile } from './write-file';
export { computePeaks, wavesurferPeaks, type WaveformPeaks } from './peaks';
export { loadModelAudio, MODEL_SAMPLE_RATE } from './model-audio';
export * from './sampler';
