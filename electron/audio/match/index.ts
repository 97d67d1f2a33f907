// Public API of the performer match (plain TypeScript, no Electron): fit a profile to a prompt,
// check a stored one, and play the sampled grand through it.
export { fitProfile, type FitInput } from './fit';
export {
  neutralProfile,
  isNeutralProfile,
  profileMatch,
  profileVersion,
  readProfile,
  touchGainDb,
  PROFILE_FORMAT,
  PROFILE_LIMITS,
  TOUCH_VELOCITIES,
  type PerformerProfile,
  type ProfileAlignment,
  type ProfileMatch,
  type ProfileRoom,
} from './profile';
export { logMelDistance, melConfig, melSpectrogram, toDb, dbDistance } from './mel';
export { thirdOctaveSpectrum, spectrumShapeDistance, THIRD_OCTAVE_CENTRES, OCTAVE_CENTRES } from './bands';
export { MIN_ALIGNMENT_SCORE, MAX_LAG_SECONDS } from './align';
