// The AR key/value cache, owned by the engine in JavaScript (docs/model-pack.md "KV cache layout").
// Layout [layers, B, heads, capacity, headDim] for keys and the same for values, so each layer's block is
// contiguous and feeds the decoder's past_key_l / past_value_l as a view. The decoder returns only
// the new frame's rows and we write them at slot `length`; capacity grows in buckets of 128 so that input
// shapes stay stable between steps (returning whole caches measured 2–5× slower: ort-cpu-anchors.md §3).
// Two forms, chosen by the pack's decoder (PackGraphs.kvCache):
//  * 'float32': fp32 keys and values;
//  * 'int8' (int8 packs): keys as uint8 with zero point 128 (±127 levels), values as 7-bit int8, each
//    (layer, row, head, slot) with one float32 scale per side, [layers, B, heads, capacity]; the rows are
//    quantised here when they are written (precision.py to_int8_kv_cache reads them). A quarter of the memory,
//    and batch-4 steps read a quarter of the bytes (docs/benchmarks.md, issue 17).
// Ownership: one KvCache per AR batch; it is dropped (and garbage-collected) when the batch's AR loop ends.
import { pastInputSpecs, type KvCacheKind } from '../pack/expectations';

export const CAPACITY_BUCKET = 128;
/** int8 form: keys k ≈ (u8 − KEY_ZERO_POINT)·scale with |u8 − 128| ≤ KEY_LEVELS; values v ≈ s8·scale, |s8| ≤ VALUE_LEVELS. */
export const KEY_ZERO_POINT = 128;
export const KEY_LEVELS = 127;
export const VALUE_LEVELS = 63;

export interface CacheDims {
  layers: number;
  batch: number;
  heads: number;
  headDim: number;
}

type Store = Float32Array | Uint8Array | Int8Array;

/** One graph input of a layer's cache: a view (no copy) that ONNX Runtime reads in place. */
export interface CacheInput {
  type: 'float32' | 'uint8' | 'int8';
  data: Store;
  dims: number[];
}

/**
 * Type and dims of one layer's cache inputs, in graph order, for B rows and C slots: the pack's declared
 * decoder inputs (pastInputSpecs) with their 'B' and 'P' dims filled in.
 */
export function layerInputLayout(
  kind: KvCacheKind,
  B: number,
  H: number,
  C: number,
  Dh: number,
): Omit<CacheInput, 'data'>[] {
  return pastInputSpecs(1, H, Dh, kind).map((spec) => ({
    type: spec.type as CacheInput['type'],
    dims: spec.shape.map((d) => (d === 'B' ? B : d === 'P' ? C : (d as number))),
  }));
}

export class KvCache {
  readonly kind: KvCacheKind;
  dims: CacheDims;
  keys: Float32Array | Uint8Array;
  values: Float32Array | Int8Array;
  /** int8 form: per-slot scales [layers, B, heads, capacity] (empty for float32). */
  keyScales: Float32Array;
  valueScales: Float32Array;
  capacity: number;
  /**
   * Slots the arrays have room for: growing up to it re-lays the blocks in place instead of allocating and
   * copying (an allocation zero-fills and faults in fresh pages; measured 0.4 s of a batch-1 fp32 AR and
   * 1.2–1.4 s at batch 4 with seven bucket steps). Pages past the used part are never touched, so the room
   * costs address space, not memory.
   */
  reserve: number;
  /** Filled slots (same in every batch row: rows step in lockstep). */
  length = 0;
  private layout?: { B: number; C: number; inputs: Omit<CacheInput, 'data'>[] };

  /** `reserveCapacity`: how far the cache is expected to grow (e.g. prompt + MIDI + expected frames). */
  constructor(dims: CacheDims, initialCapacity: number, kind: KvCacheKind = 'float32', reserveCapacity = 0) {
    this.kind = kind;
    this.dims = dims;
    this.capacity = roundUpToBucket(initialCapacity);
    this.reserve = roundUpToBucket(Math.max(this.capacity, reserveCapacity));
    [this.keys, this.values, this.keyScales, this.valueScales] = this.allocate(dims, this.reserve);
  }

  private allocate(
    dims: CacheDims,
    capacity: number,
  ): [Float32Array | Uint8Array, Float32Array | Int8Array, Float32Array, Float32Array] {
    const slots = dims.layers * dims.batch * dims.heads * capacity;
    const size = slots * dims.headDim;
    if (this.kind === 'float32')
      return [new Float32Array(size), new Float32Array(size), new Float32Array(0), new Float32Array(0)];
    return [new Uint8Array(size), new Int8Array(size), new Float32Array(slots), new Float32Array(slots)];
  }

  /** The arrays in use with the values each holds per slot: keys and values, and for int8 their scales. */
  private stores(arrays: Store[] = [this.keys, this.values, this.keyScales, this.valueScales]): Array<[Store, number]> {
    const { headDim } = this.dims;
    const widths = this.kind === 'int8' ? [headDim, headDim, 1, 1] : [headDim, headDim];
    return widths.map((width, i) => [arrays[i]!, width]);
  }

  /** Bytes allocated (keys, values and scales, with room for `reserve` slots). */
  bytes(): number {
    return this.keys.byteLength + this.values.byteLength + this.keyScales.byteLength + this.valueScales.byteLength;
  }

  /** Layer `l`'s decoder inputs in graph order (layerInputLayout): views, no copies. */
  layerInputs(l: number): CacheInput[] {
    const { batch: B, heads: H, headDim: Dh } = this.dims;
    const C = this.capacity;
    const block = (data: Store, per: number) => data.subarray(l * per, (l + 1) * per);
    const size = B * H * C * Dh;
    const slots = B * H * C;
    const data =
      this.kind === 'float32'
        ? [block(this.keys, size), block(this.values, size)]
        : [
            block(this.keys, size),
            block(this.keyScales, slots),
            block(this.values, size),
            block(this.valueScales, slots),
          ];
    // Asked for every layer at every step: the layout is worked out again only when the capacity or batch changed.
    if (this.layout?.C !== C || this.layout.B !== B)
      this.layout = { B, C, inputs: layerInputLayout(this.kind, B, H, C, Dh) };
    return this.layout.inputs.map((input, i) => ({ ...input, data: data[i]! }));
  }

  /**
   * Copy `count` rows per (layer, batch, head) from a [L,B,H,rows,Dh] tensor (its first `count` of `rows`) into
   * slots length..
   */
  append(newKeys: Float32Array, newValues: Float32Array, count: number, rows = count): void {
    if (this.length + count > this.capacity) this.grow(this.length + count);
    const { layers, batch, heads, headDim } = this.dims;
    const blocks = layers * batch * heads;
    const rowFloats = count * headDim;
    const blockFloats = rows * headDim;
    if (count > rows || newKeys.length !== blocks * blockFloats || newValues.length !== blocks * blockFloats) {
      throw new Error(`KV append: got ${newKeys.length} floats, expected ${blocks * blockFloats}`);
    }
    for (let block = 0; block < blocks; block++) {
      const src = block * blockFloats;
      const slot = block * this.capacity + this.length;
      if (this.kind === 'float32') {
        (this.keys as Float32Array).set(newKeys.subarray(src, src + rowFloats), slot * headDim);
        (this.values as Float32Array).set(newValues.subarray(src, src + rowFloats), slot * headDim);
        continue;
      }
      for (let t = 0; t < count; t++) {
        const from = src + t * headDim;
        const at = (slot + t) * headDim;
        this.keyScales[slot + t] = quantiseKeyRow(newKeys, from, headDim, this.keys as Uint8Array, at);
        this.valueScales[slot + t] = quantiseValueRow(newValues, from, headDim, this.values as Int8Array, at);
      }
    }
    this.length += count;
  }

  /**
   * Forget every slot from `length` on (frames a verify pass fed that were not kept): later appends overwrite
   * them, and the masks never open slots past `length`.
   */
  truncate(length: number): void {
    if (length < 0 || length > this.length) throw new Error(`KV truncate to ${length} of ${this.length} slots`);
    this.length = length;
  }

  /**
   * Keep only the batch rows listed (in that order), e.g. when other rows have finished: later steps then
   * cost what the live rows cost. Per-row values are copied unchanged.
   */
  compact(keep: number[]): void {
    const { layers, batch, heads, headDim } = this.dims;
    const next = { layers, batch: keep.length, heads, headDim };
    const arrays = this.allocate(next, this.reserve);
    const rowSlots = heads * this.capacity; // one batch row of one layer
    const targets = this.stores(arrays);
    this.stores().forEach(([from, width], i) => {
      const to = targets[i]![0];
      const span = rowSlots * width;
      for (let l = 0; l < layers; l++) {
        keep.forEach((b, j) => {
          const src = (l * batch + b) * span;
          copyInto(to, from.subarray(src, src + span), (l * keep.length + j) * span);
        });
      }
    });
    this.dims = next;
    [this.keys, this.values, this.keyScales, this.valueScales] = arrays;
  }

  grow(minCapacity: number): void {
    const capacity = roundUpToBucket(minCapacity);
    if (capacity <= this.capacity) return;
    if (capacity <= this.reserve) this.relayInPlace(capacity);
    else this.reallocate(capacity, roundUpToBucket(Math.max(capacity, this.reserve * 1.5)));
    this.capacity = capacity;
  }

  /** Blocks moved to their places at the larger capacity, last first (each moves up), the gaps zeroed. */
  private relayInPlace(capacity: number): void {
    const blocks = this.dims.layers * this.dims.batch * this.dims.heads;
    for (const [data, width] of this.stores()) {
      for (let block = blocks - 1; block >= 0; block--) {
        const src = block * this.capacity * width;
        const dst = block * capacity * width;
        const used = this.length * width;
        data.copyWithin(dst, src, src + used);
        data.fill(0, dst + used, dst + capacity * width);
      }
    }
  }

  /** New arrays with room for `reserve` slots, the used slots copied at `capacity`. */
  private reallocate(capacity: number, reserve: number): void {
    const blocks = this.dims.layers * this.dims.batch * this.dims.heads;
    const arrays = this.allocate(this.dims, reserve);
    const targets = this.stores(arrays);
    this.stores().forEach(([from, width], i) => {
      const to = targets[i]![0];
      for (let block = 0; block < blocks; block++) {
        const src = block * this.capacity * width;
        copyInto(to, from.subarray(src, src + this.length * width), block * capacity * width);
      }
    });
    [this.keys, this.values, this.keyScales, this.valueScales] = arrays;
    this.reserve = reserve;
  }
}

/** Largest |x| of one row; the scale that maps it to `levels` (1 for an all-zero row). */
function rowScale(x: Float32Array, from: number, length: number, levels: number): number {
  let peak = 0;
  for (let i = from; i < from + length; i++) {
    const v = x[i]!;
    const magnitude = v < 0 ? -v : v;
    if (magnitude > peak) peak = magnitude;
  }
  return peak > 0 ? Math.fround(peak / levels) : 1;
}

// Symmetric quantisation of one row (one slot of one head): q = round(x / scale) (+ 128 for keys), scale =
// max|x| / levels, rounded half up as floor(x · (1 / scale) + ½) (+ 128). |x| / scale cannot exceed levels by
// half a step (scale is max|x| / levels rounded to float32), so no clamp is needed. One function per output
// type, multiplying by the inverse: the append loop runs ~100k values a step at batch 4, and a shared,
// dividing version measured 0.8 ms a step (0.7 s of a 875-frame batch-4 AR), this one about half.

/** Keys: uint8 with zero point KEY_ZERO_POINT, ±KEY_LEVELS. Returns the scale. */
export function quantiseKeyRow(x: Float32Array, from: number, length: number, out: Uint8Array, at: number): number {
  const scale = rowScale(x, from, length, KEY_LEVELS);
  const inverse = 1 / scale;
  for (let i = 0; i < length; i++) out[at + i] = Math.floor(x[from + i]! * inverse + KEY_ZERO_POINT + 0.5);
  return scale;
}

/** Values: int8, ±VALUE_LEVELS. Returns the scale. */
export function quantiseValueRow(x: Float32Array, from: number, length: number, out: Int8Array, at: number): number {
  const scale = rowScale(x, from, length, VALUE_LEVELS);
  const inverse = 1 / scale;
  for (let i = 0; i < length; i++) out[at + i] = Math.floor(x[from + i]! * inverse + 0.5);
  return scale;
}

/** dst.set(src, at) across the cache's array types (the same element type on both sides in practice). */
function copyInto(dst: Store, src: Store, at: number): void {
  (dst as { set(values: ArrayLike<number>, offset: number): void }).set(src, at);
}

export function roundUpToBucket(n: number): number {
  return Math.max(CAPACITY_BUCKET, Math.ceil(n / CAPACITY_BUCKET) * CAPACITY_BUCKET);
}
