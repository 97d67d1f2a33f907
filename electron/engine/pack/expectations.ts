// What the engine needs from a pack beyond the JSON Schema: the fixed audio/MIDI vocabulary and the exact graph
// I/O of docs/model-pack.md, with the pack's own model dims substituted.
import type { Dim, GraphKey, OptionalGraphKey, PackManifestJson, TensorSpec } from './types';

export const EXPECTED_AUDIO = {
  sampleRate: 32000,
  frameRate: 50,
  hopLength: 640,
  quantizers: 4,
  codebookSize: 2048,
  eosId: 2048,
} as const;

export const EXPECTED_MIDI = {
  columns: ['pitch', 'velocity', 'duration', 'ioi', 'position', 'bar'],
  vocabSizes: [92, 68, 1156, 772, 388, 20],
} as const;

/**
 * How the AR decoder takes its KV cache: 'float32' (fp32 keys/values), or 'int8' (int8 packs: uint8 keys and
 * int8 values with one float32 scale per row, head and slot; docs/model-pack.md "KV cache layout").
 */
export type KvCacheKind = 'float32' | 'int8';

/**
 * The decoder's per-layer cache inputs, in graph order: past_key_0, past_value_0, past_key_1, … (float32), or
 * past_key_0, past_key_scale_0, past_value_0, past_value_scale_0, past_key_1, … (int8).
 */
export function pastInputNames(layers: number, kind: KvCacheKind = 'float32'): string[] {
  const parts = kind === 'int8' ? ['key', 'key_scale', 'value', 'value_scale'] : ['key', 'value'];
  return Array.from({ length: layers }, (_, l) => parts.map((part) => `past_${part}_${l}`)).flat();
}

/** The cache form a pack's declared arDecoder inputs ask for (an int8 cache has per-slot scale inputs). */
export function kvCacheKindOf(inputs: ReadonlyArray<{ name: string }> | undefined): KvCacheKind {
  return inputs?.some((input) => input.name === 'past_key_scale_0') ? 'int8' : 'float32';
}

type Io = { inputs: TensorSpec[]; outputs: TensorSpec[] };

/**
 * Which rows the AR decoder returns logits for: 'all' ([B,T,V], packs made since issue 17, which speculative
 * decoding needs to verify drafted frames) or 'last' ([B,V], earlier packs; still read, decoded plainly).
 */
export type ArLogitRows = 'all' | 'last';

export function arLogitRowsOf(outputs: ReadonlyArray<{ name: string; shape?: Dim[] }> | undefined): ArLogitRows {
  const logits = outputs?.find((output) => output.name === 'logits');
  return logits?.shape?.length === 3 ? 'all' : 'last';
}

const t = (name: string, type: TensorSpec['type'], shape: Dim[]): TensorSpec => ({ name, type, shape });

/** The decoder's cache inputs as declared in pack.json (dims 'B' rows, 'P' cache slots). */
export function pastInputSpecs(L: number, H: number, Dh: number, kind: KvCacheKind): TensorSpec[] {
  if (kind === 'float32') return pastInputNames(L).map((name) => t(name, 'float32', ['B', H, 'P', Dh]));
  const specs: Record<string, [TensorSpec['type'], Dim[]]> = {
    key: ['uint8', ['B', H, 'P', Dh]],
    key_scale: ['float32', ['B', H, 'P', 1]],
    value: ['int8', ['B', H, 'P', Dh]],
    value_scale: ['float32', ['B', H, 1, 'P']],
  };
  return pastInputNames(L, kind).map((name) => {
    const [type, shape] = specs[name.slice('past_'.length, name.lastIndexOf('_'))]!;
    return t(name, type, shape);
  });
}

function arDecoderIo(m: PackManifestJson['model'], kvCache: KvCacheKind, logitRows: ArLogitRows): Io {
  const { dModel: D, arLayers: L, heads: H, headDim: Dh } = m;
  const V = EXPECTED_AUDIO.codebookSize + 1;
  return {
    inputs: [
      t('x', 'float32', ['B', 'T', D]),
      t('mask', 'float32', ['B', 1, 'T', 'P+T']),
      ...pastInputSpecs(L, H, Dh, kvCache),
    ],
    outputs: [
      t('logits', 'float32', logitRows === 'all' ? ['B', 'T', V] : ['B', V]),
      t('new_key', 'float32', [L, 'B', H, 'T', Dh]),
      t('new_value', 'float32', [L, 'B', H, 'T', Dh]),
    ],
  };
}

/** The draft decoder: an int8 arDecoder (int8 cache) with logits for every row. */
export function expectedDraftIo(m: PackManifestJson['model']): Record<OptionalGraphKey, Io> {
  return { arDraftDecoder: arDecoderIo(m, 'int8', 'all') };
}

export function expectedGraphIo(
  m: PackManifestJson['model'],
  kvCache: KvCacheKind = 'float32',
  logitRows: ArLogitRows = 'all',
): Record<GraphKey, Io> {
  const D = m.dModel;
  const Q = EXPECTED_AUDIO.quantizers;
  const cols = EXPECTED_MIDI.columns.length;
  return {
    midiEmbed: {
      inputs: [t('tokens', 'int64', ['B', 'S', cols])],
      outputs: [t('xa', 'float32', ['B', 'S', D]), t('xn', 'float32', ['B', 'S', D])],
    },
    arEmbed: {
      inputs: [t('tokens', 'int64', ['B', 'T']), t('start', 'int64', [1])],
      outputs: [t('y', 'float32', ['B', 'T', D])],
    },
    arDecoder: arDecoderIo(m, kvCache, logitRows),
    narStage: {
      inputs: [
        t('xn', 'float32', ['B', 'S', D]),
        t('codes', 'int64', ['B', 'T', Q]),
        t('prompt_frames', 'int64', [1]),
        t('stage', 'int64', [1]),
        t('mask', 'float32', ['B', 1, 1, 'S+T']),
      ],
      outputs: [t('q', 'int64', ['B', 'T'])],
    },
    codecEncode: {
      inputs: [t('wav', 'float32', ['B', 1, 'N'])],
      outputs: [t('codes', 'int64', ['B', Q, 'F'])],
    },
    codecDecode: {
      inputs: [t('codes', 'int64', ['B', Q, 'F'])],
      outputs: [t('wav', 'float32', ['B', 1, `${EXPECTED_AUDIO.hopLength}*F`])],
    },
  };
}

const showShape = (shape: Dim[]) => `[${shape.join(',')}]`;

/** Problems with the pack's fixed values and graph I/O, one readable line each (empty when it fits). */
export function checkExpectations(json: PackManifestJson): string[] {
  const problems: string[] = [];
  for (const [key, want] of Object.entries(EXPECTED_AUDIO)) {
    const got = json.audio[key as keyof typeof EXPECTED_AUDIO];
    if (got !== want) problems.push(`audio.${key} is ${got}, the engine needs ${want}`);
  }
  if (json.midi.columns.join(',') !== EXPECTED_MIDI.columns.join(',')) {
    problems.push(
      `midi.columns are [${json.midi.columns.join(',')}], the engine needs [${EXPECTED_MIDI.columns.join(',')}]`,
    );
  }
  if (json.midi.vocabSizes.join(',') !== EXPECTED_MIDI.vocabSizes.join(',')) {
    problems.push(
      `midi.vocabSizes are [${json.midi.vocabSizes.join(',')}], the engine needs [${EXPECTED_MIDI.vocabSizes.join(',')}]`,
    );
  }
  const m = json.model;
  if (m.heads * m.headDim !== m.dModel)
    problems.push(`model.heads × headDim (${m.heads}×${m.headDim}) ≠ dModel ${m.dModel}`);
  const decoder = json.graphs.arDecoder;
  const logitRows = arLogitRowsOf(decoder?.outputs);
  const expected: Partial<Record<GraphKey | OptionalGraphKey, Io>> = {
    ...expectedGraphIo(m, kvCacheKindOf(decoder?.inputs), logitRows),
    ...(json.graphs.arDraftDecoder ? expectedDraftIo(m) : {}),
  };
  if (json.graphs.arDraftDecoder && logitRows !== 'all')
    problems.push('graph arDraftDecoder needs an arDecoder with logits for every row ([B,T,V]) to verify its frames');
  for (const [key, io] of Object.entries(expected) as Array<[GraphKey | OptionalGraphKey, Io]>) {
    const graph = json.graphs[key]!;
    for (const side of ['inputs', 'outputs'] as const) {
      const want = io[side];
      const got = graph[side];
      const names = got.map((x) => x.name).join(',');
      if (names !== want.map((x) => x.name).join(',')) {
        problems.push(`graph ${key} ${side} are [${names}], expected [${want.map((x) => x.name).join(',')}]`);
        continue;
      }
      want.forEach((w, i) => {
        const g = got[i]!;
        if (g.type !== w.type)
          problems.push(`graph ${key} ${side.slice(0, -1)} '${w.name}' is ${g.type}, expected ${w.type}`);
        if (showShape(g.shape) !== showShape(w.shape)) {
          problems.push(
            `graph ${key} ${side.slice(0, -1)} '${w.name}' has shape ${showShape(g.shape)}, expected ${showShape(w.shape)}`,
          );
        }
      });
    }
  }
  return problems;
}
