// The one onnxruntime-node import of the engine. Loaded with createRequire so that the native binding is
// resolved the same way in tsx, plain Node and an Electron utilityProcess (CJS require works from asar).
import { createRequire } from 'node:module';
import type * as OrtTypes from 'onnxruntime-node';

export type Ort = typeof OrtTypes;
export type OrtSession = OrtTypes.InferenceSession;
export type OrtTensor = OrtTypes.Tensor;

let cached: Ort | undefined;

export function loadOrt(): Ort {
  cached ??= createRequire(import.meta.url)('onnxruntime-node') as Ort;
  return cached;
}

export function ortVersion(): string {
  const versions = loadOrt().env.versions as { node?: string; common?: string };
  return versions.node ?? versions.common ?? 'unknown';
}
