export {
  prepareInstall,
  writePack,
  OFFICIAL_ATTRIBUTION,
  OFFICIAL_LICENCE,
  type InstallOptions,
  type InstallPrecision,
  type InstallProgress,
  type PreparedInstall,
} from './install';
export { CheckpointError } from './errors';
