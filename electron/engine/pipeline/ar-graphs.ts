// The two AR graphs as functions (docs/model-pack.md): ar_embed turns audio ids into embeddings at their
// positions, ar_decoder runs the transformer over new rows after a per-layer cache (empty for a whole pass).
// The same decoder serves prefill and steps, so a pack holds one copy of the AR weights.
import { pastInputNames, type ArLogitRows, type KvCacheKind } from '../pack/expectations';
import type { OrtSession, OrtTensor } from '../runtime/ort';
import { layerInputLayout, type KvCache } from './kv-cache';
import { prefillMask, stepMask } from './masks';
import { asFloat32, float32Tensor, int64Tensor, typedTensor } from './tensors';

export interface ArSessions {
  embed: OrtSession;
  decoder: OrtSession;
}

export interface ArShape {
  layers: number;
  heads: number;
  headDim: number;
  /** The decoder's cache form (PackGraphs.kvCache); float32 when absent. */
  kvCache?: KvCacheKind;
  /** Which rows the decoder returns logits for (PackGraphs.arLogitRows); 'last' when absent. */
  logitRows?: ArLogitRows;
}

/** The MIDI side of a whole pass: embeddings [B,S,D] and each row's real MIDI rows. */
export interface ArMidi {
  xa: Float32Array;
  S: number;
  dModel: number;
  midiRows: number[];
}

export interface ArPassOutput {
  /** Logits: a whole pass's last row [B,V]; a cached pass's rows [B,T,V]. */
  logits: Float32Array;
  /** This pass's K/V rows [L,B,H,T,Dh]. */
  newKey: Float32Array;
  newValue: Float32Array;
}

/** Audio ids [B,T] at positions start.. → embeddings [B,T,D]. */
export async function embedAudio(
  embed: OrtSession,
  ids: ArrayLike<number>,
  B: number,
  T: number,
  start: number,
): Promise<Float32Array> {
  const out = await embed.run({ tokens: int64Tensor(ids, [B, T]), start: int64Tensor([start], [1]) });
  return asFloat32(out.y, 'y');
}

/** [B,S,D] then [B,T,D], row by row → [B,S+T,D]. */
export function concatRows(
  xa: Float32Array,
  S: number,
  ya: Float32Array,
  T: number,
  B: number,
  D: number,
): Float32Array {
  const x = new Float32Array(B * (S + T) * D);
  for (let b = 0; b < B; b++) {
    x.set(xa.subarray(b * S * D, (b + 1) * S * D), b * (S + T) * D);
    x.set(ya.subarray(b * T * D, (b + 1) * T * D), (b * (S + T) + S) * D);
  }
  return x;
}

const EMPTY = { float32: new Float32Array(0), uint8: new Uint8Array(0), int8: new Int8Array(0) } as const;

/** Per-layer past inputs: the cache's layer views (no copy), or empty tensors of the cache's form (P = 0). */
function pastFeeds(shape: ArShape, B: number, cache: KvCache | null): Record<string, OrtTensor> {
  const kind = shape.kvCache ?? 'float32';
  const feeds: Record<string, OrtTensor> = {};
  const names = pastInputNames(shape.layers, kind);
  const empty = layerInputLayout(kind, B, shape.heads, 0, shape.headDim).map(({ type, dims }) =>
    typedTensor(type, EMPTY[type], dims),
  );
  const perLayer = empty.length;
  for (let l = 0; l < shape.layers; l++) {
    const inputs = cache ? cache.layerInputs(l).map((x) => typedTensor(x.type, x.data, x.dims)) : empty;
    inputs.forEach((tensor, i) => (feeds[names[l * perLayer + i]!] = tensor));
  }
  return feeds;
}

/** One pass over [MIDI | audio ids [B,T]] with no cache: the prefill, and every step of the full recompute. */
export async function arWholePass(
  sessions: ArSessions,
  shape: ArShape,
  midi: ArMidi,
  audio: ArrayLike<number>,
  T: number,
): Promise<ArPassOutput> {
  const B = midi.midiRows.length;
  const N = midi.S + T;
  const ya = await embedAudio(sessions.embed, audio, B, T, 0);
  const out = await sessions.decoder.run({
    x: float32Tensor(concatRows(midi.xa, midi.S, ya, T, B, midi.dModel), [B, N, midi.dModel]),
    mask: float32Tensor(prefillMask(midi.midiRows, midi.S, T), [B, 1, N, N]),
    ...pastFeeds(shape, B, null),
  });
  const logits = asFloat32(out.logits, 'logits');
  return {
    logits: shape.logitRows === 'all' ? lastRows(logits, B, N) : logits,
    newKey: asFloat32(out.new_key, 'new_key'),
    newValue: asFloat32(out.new_value, 'new_value'),
  };
}

/** [B,T,V] → each row's last of T, [B,V]. */
function lastRows(logits: Float32Array, B: number, T: number): Float32Array {
  if (T === 1) return logits;
  const V = logits.length / (B * T);
  const out = new Float32Array(B * V);
  for (let b = 0; b < B; b++) out.set(logits.subarray((b * T + T - 1) * V, (b * T + T) * V), b * V);
  return out;
}

/**
 * T new frames for each of the cache's live rows (`ids` [B,T]) at audio positions audioPos..: appends their
 * K/V rows to the cache and returns the logits [B,T,V] (T > 1 needs a decoder with logits for every row)
 * with those rows.
 */
export async function arCachedPass(
  sessions: ArSessions,
  shape: ArShape,
  cache: KvCache,
  ids: ArrayLike<number>,
  T: number,
  audioPos: number,
  midiRows: number[],
  S: number,
): Promise<ArPassOutput> {
  const B = ids.length / T;
  if (T > 1 && shape.logitRows !== 'all') throw new Error('this AR decoder returns the last row only: T must be 1');
  const x = await embedAudio(sessions.embed, ids, B, T, audioPos);
  const dModel = x.length / (B * T);
  const out = await sessions.decoder.run({
    x: float32Tensor(x, [B, T, dModel]),
    mask: float32Tensor(stepMask(midiRows, S, cache.length, cache.capacity, T), [B, 1, T, cache.capacity + T]),
    ...pastFeeds(shape, B, cache),
  });
  const newKey = asFloat32(out.new_key, 'new_key');
  const newValue = asFloat32(out.new_value, 'new_value');
  cache.append(newKey, newValue, T);
  return { logits: asFloat32(out.logits, 'logits'), newKey, newValue };
}

/**
 * One cached step for the cache's live rows: feeds `ids` (one per row) at audio position `audioPos`,
 * appends their K/V rows to the cache and returns the logits [B,V].
 */
export async function arCachedStep(
  sessions: ArSessions,
  shape: ArShape,
  cache: KvCache,
  ids: number[],
  audioPos: number,
  midiRows: number[],
  S: number,
): Promise<Float32Array> {
  return (await arCachedPass(sessions, shape, cache, ids, 1, audioPos, midiRows, S)).logits;
}
