// The part of a pack the engine needs: where each graph file is and the dims that shape the KV cache.
// Full manifest validation (schema, sha256) belongs to electron/engine/pack/; this reader only checks what
// would otherwise fail obscurely inside ONNX Runtime.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StudioFailure } from '../../shared/failure';

import { arLogitRowsOf, kvCacheKindOf, type ArLogitRows, type KvCacheKind } from '../pack/expectations';
import { GRAPH_KEYS, type GraphKey, type OptionalGraphKey } from '../pack/types';

export { GRAPH_KEYS, type GraphKey };

export interface PackDims {
  sampleRate: number;
  hopLength: number;
  quantizers: number;
  codebookSize: number;
  eosId: number;
  dModel: number;
  heads: number;
  headDim: number;
  arLayers: number;
  narLayers: number;
}

export interface PackGraphs {
  dir: string;
  id: string;
  version: string;
  dims: PackDims;
  files: Record<GraphKey, string>;
  precision: Record<GraphKey, string>;
  /** The AR decoder's cache form, from its declared inputs (int8 packs made since issue 17 read an int8 cache). */
  kvCache: KvCacheKind;
  /** Which rows the AR decoder returns logits for (its declared `logits` output). */
  arLogitRows: ArLogitRows;
  /** The int8 draft decoder of an fp32 pack (speculative decoding), when the pack has one; its cache is int8. */
  draftFile?: string;
}

interface ManifestShape {
  id?: string;
  version?: string;
  audio?: Partial<Record<'sampleRate' | 'hopLength' | 'quantizers' | 'codebookSize' | 'eosId', number>>;
  model?: Partial<Record<'dModel' | 'heads' | 'headDim' | 'arLayers' | 'narLayers', number>>;
  graphs?: Partial<
    Record<
      GraphKey | OptionalGraphKey,
      {
        file?: string;
        precision?: string;
        inputs?: Array<{ name: string }>;
        outputs?: Array<{ name: string; shape?: Array<number | string> }>;
      }
    >
  >;
}

export function readPackGraphs(dir: string): PackGraphs {
  const manifestPath = join(dir, 'pack.json');
  if (!existsSync(manifestPath))
    throw new StudioFailure('not-found', `no pack.json in ${dir}: not a model pack folder`);
  let manifest: ManifestShape;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ManifestShape;
  } catch (error) {
    throw new StudioFailure('bad-input', `pack.json in ${dir} is not valid JSON: ${(error as Error).message}`);
  }
  const number = (value: number | undefined, name: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new StudioFailure('bad-input', `pack.json in ${dir} lacks ${name}`);
    }
    return value;
  };
  const audio = manifest.audio ?? {};
  const model = manifest.model ?? {};
  const dims: PackDims = {
    sampleRate: number(audio.sampleRate, 'audio.sampleRate'),
    hopLength: number(audio.hopLength, 'audio.hopLength'),
    quantizers: number(audio.quantizers, 'audio.quantizers'),
    codebookSize: number(audio.codebookSize, 'audio.codebookSize'),
    eosId: number(audio.eosId, 'audio.eosId'),
    dModel: number(model.dModel, 'model.dModel'),
    heads: number(model.heads, 'model.heads'),
    headDim: number(model.headDim, 'model.headDim'),
    arLayers: number(model.arLayers, 'model.arLayers'),
    narLayers: number(model.narLayers, 'model.narLayers'),
  };
  /** A graph's file in the pack folder, which must exist. */
  const graphFile = (name: string): string => {
    const file = join(dir, name);
    if (!existsSync(file)) throw new StudioFailure('not-found', `pack ${dir} lacks its graph file ${name}`);
    return file;
  };
  const files = {} as Record<GraphKey, string>;
  const precision = {} as Record<GraphKey, string>;
  for (const key of GRAPH_KEYS) {
    const entry = manifest.graphs?.[key];
    if (!entry?.file) throw new StudioFailure('bad-input', `pack.json in ${dir} has no graph '${key}'`);
    files[key] = graphFile(entry.file);
    precision[key] = entry.precision ?? 'fp32';
  }
  const decoder = manifest.graphs?.arDecoder;
  const kvCache = kvCacheKindOf(decoder?.inputs);
  const arLogitRows = arLogitRowsOf(decoder?.outputs);
  const draft = manifest.graphs?.arDraftDecoder?.file;
  const draftFile = draft && arLogitRows === 'all' ? graphFile(draft) : undefined;
  return {
    dir,
    id: manifest.id ?? 'unknown',
    version: manifest.version ?? '0',
    dims,
    files,
    precision,
    kvCache,
    arLogitRows,
    ...(draftFile ? { draftFile } : {}),
  };
}
