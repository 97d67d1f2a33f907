export { loadPackManifest, parsePackManifest, sha256OfFile, type LoadPackOptions } from './manifest';
export { extractPackZip, openPack } from './zip';
export { EXPECTED_AUDIO, EXPECTED_MIDI, expectedGraphIo, expectedDraftIo, checkExpectations } from './expectations';
export {
  GRAPH_KEYS,
  OPTIONAL_GRAPH_KEYS,
  type GraphKey,
  type OptionalGraphKey,
  type GraphEntry,
  type PackManifest,
  type PackManifestJson,
  type TensorSpec,
} from './types';
