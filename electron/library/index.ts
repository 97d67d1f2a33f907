// The library: storage, integrity and jobs. Services compose it with the midi/audio/engine domains;
// nothing here decodes audio or MIDI.
export { openLibrary, ensureHomeFolder, Library, DATABASE_FILE } from './library';
export { storageFailure } from './storage-errors';
export { schemaVersion } from './migrate';
export { SCHEMA_VERSION, MIGRATIONS } from './migrations';
export { BlobStore, sha256Hex, isBlobHash } from './blobs';
export * from './records';
export {
  createProject,
  listProjects,
  getProject,
  removeProject,
  addPiece,
  listPieces,
  getPiece,
  removePiece,
  findPieceByMidiHash,
  type NewPiece,
} from './projects';
export {
  addPerformer,
  getPerformer,
  findPerformerByName,
  listPerformers,
  updatePerformer,
  removePerformer,
  putPromptCodes,
  findPromptCodes,
  type NewPerformer,
  type PerformerUpdate,
} from './performers';
export {
  createRender,
  getRender,
  listRenders,
  setRenderStatus,
  removeRender,
  chosenTakes,
  listSegments,
  getSegment,
  listTakes,
  getTake,
  chooseTake,
  setTakeLocked,
  lockedSegmentIndices,
  removeTake,
  renderCacheKey,
  findCachedTake,
  insertTake,
  type NewRender,
  type RenderSummary,
  type TakeListing,
  type RenderCacheKeyInput,
  type NewTakeBlobs,
  type NewTake,
} from './renders';
export {
  createRenderJob,
  queueRender,
  getJob,
  listJobs,
  resumableJobs,
  setJobStatus,
  isJobOwnerAlive,
  claimJob,
  pendingSegments,
  recordTake,
  settleJob,
  markOrphanedJobsInterrupted,
  type RenderJobOptions,
  type RunningHere,
} from './jobs-store';
export { recordExport, listExports, type ExportRecord, type ExportedFile } from './exports';
export {
  trashPiece,
  trashPerformer,
  trashRender,
  trashTake,
  listTrash,
  emptyTrash,
  rendersOfPerformer,
  renderLabel,
  type TrashEntry,
  type TrashKind,
  type TakeTrashResult,
} from './trash';
export { restoreTrash, type RestoreResult } from './trash-restore';
export { renamePiece, renamePerformer, renameRender } from './naming';
export { collectGarbage, DEFAULT_GRACE_MS, type GcReport } from './gc';
export { checkLibrary, type CheckReport, type CheckOptions, type Problem, type ProblemKind } from './integrity';
export {
  exportProjectBundle,
  importProjectBundle,
  readBundle,
  BUNDLE_LIMITS,
  type BundleExportResult,
  type BundleImportResult,
} from './bundle';
export { bundleManifestSchema, type BundleManifest } from './bundle-manifest';
export { renderIdOfTake, setRenderDevice } from './service-queries';
export { addPieceToWork, createWork, getWork, listWorks, type WorkRecord } from './works';
export { putPerformerProfile, getPerformerProfile, type StoredProfile } from './performer-profiles';
