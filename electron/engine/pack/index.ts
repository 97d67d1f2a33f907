export { loadPackManifest, parsePackManifest, sha256OfFile, type LoadPackOptions } from './manifest';
export { extractPackZip, openPack } from './zip';
export { EXPECTED_AUDIO, EXPECTED_MIDI, expectedGraphIo, checkExpectations } from './expectations';
export {
  GRAPH_KEYS,
  type GraphKey,
  type GraphEntry,
  type PackManifest,
  type PackManifestJson,
  type TensorSpec,
} from './types';
