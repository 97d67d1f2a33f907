// The shape of pack.json (docs/model-pack.md; JSON Schema in native-models/pack.schema.json).

export const GRAPH_KEYS = ['midiEmbed', 'arEmbed', 'arDecoder', 'narStage', 'codecEncode', 'codecDecode'] as const;
export type GraphKey = (typeof GRAPH_KEYS)[number];

/**
 * Graphs a pack may carry. arDraftDecoder (fp32 packs): the int8 form of arDecoder, which drafts frames for
 * the fp32 decoder to verify (speculative decoding, docs/model-pack.md); without it the engine decodes plainly.
 */
export const OPTIONAL_GRAPH_KEYS = ['arDraftDecoder'] as const;
export type OptionalGraphKey = (typeof OPTIONAL_GRAPH_KEYS)[number];

export type Dim = number | string;

/** 2: one AR decoder graph serving prefill and steps (ar_embed + ar_decoder); 1 had ar_prefill + ar_step. */
export const PACK_FORMAT_VERSION = 2;

export interface TensorSpec {
  name: string;
  /** uint8/int8: the int8 KV cache inputs of an int8 pack's arDecoder (docs/model-pack.md "KV cache layout"). */
  type: 'float32' | 'int64' | 'uint8' | 'int8';
  shape: Dim[];
}

export interface GraphEntry {
  file: string;
  sha256: string;
  bytes?: number;
  precision: 'fp32' | 'fp16' | 'int8';
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface SourceFile {
  file: string;
  sha256: string;
}

export interface PackManifestJson {
  format: 'midi-valle-pack';
  formatVersion: typeof PACK_FORMAT_VERSION;
  id: string;
  version: string;
  displayName: string;
  licence: string;
  attribution: string;
  source: {
    valle: SourceFile;
    codec: SourceFile;
    random?: { seed: number; dims?: string };
  };
  audio: {
    sampleRate: number;
    frameRate: number;
    hopLength: number;
    quantizers: number;
    codebookSize: number;
    eosId: number;
  };
  midi: { columns: string[]; vocabSizes: number[] };
  model: {
    dModel: number;
    heads: number;
    headDim: number;
    arLayers: number;
    narLayers: number;
  };
  graphs: Record<GraphKey, GraphEntry> & Partial<Record<OptionalGraphKey, GraphEntry>>;
}

/** A validated pack: the manifest plus where it lives and the absolute path of every graph. */
export interface PackManifest extends PackManifestJson {
  dir: string;
  graphPaths: Record<GraphKey, string> & Partial<Record<OptionalGraphKey, string>>;
}
