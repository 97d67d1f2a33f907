// The AR key/value cache, owned by the engine in JavaScript (docs/model-pack.md "KV cache layout").
// Layout [layers, B, heads, capacity, headDim] for keys and the same for values, so each layer's block is
// contiguous and feeds the decoder's past_key_l / past_value_l as a view. The decoder returns only
// the new frame's rows and we write them at slot `length`; capacity grows in buckets of 128 so that input
// shapes stay stable between steps (returning whole caches measured 2–5× slower: ort-cpu-anchors.md §3).
// Ownership: one KvCache per AR batch; it is dropped (and garbage-collected) when the batch's AR loop ends.

export const CAPACITY_BUCKET = 128;

export interface CacheDims {
  layers: number;
  batch: number;
  heads: number;
  headDim: number;
}

export class KvCache {
  dims: CacheDims;
  keys: Float32Array;
  values: Float32Array;
  capacity: number;
  /** Filled slots (same in every batch row: rows step in lockstep). */
  length = 0;

  constructor(dims: CacheDims, initialCapacity: number) {
    this.dims = dims;
    this.capacity = roundUpToBucket(initialCapacity);
    this.keys = new Float32Array(this.size(this.capacity));
    this.values = new Float32Array(this.size(this.capacity));
  }

  private size(capacity: number): number {
    const { layers, batch, heads, headDim } = this.dims;
    return layers * batch * heads * capacity * headDim;
  }

  /** Shape of one layer's past_key_l / past_value_l input. */
  layerShape(): number[] {
    const { batch, heads, headDim } = this.dims;
    return [batch, heads, this.capacity, headDim];
  }

  /** Layer `l`'s block [B,H,C,Dh] of keys or values: a view (no copy) that ONNX Runtime reads in place. */
  layerView(kind: 'keys' | 'values', l: number): Float32Array {
    const { batch, heads, headDim } = this.dims;
    const size = batch * heads * this.capacity * headDim;
    return this[kind].subarray(l * size, (l + 1) * size);
  }

  /** Copy `count` rows per (layer, batch, head) from a [L,B,H,count,Dh] tensor into slots length.. */
  append(newKeys: Float32Array, newValues: Float32Array, count: number): void {
    if (this.length + count > this.capacity) this.grow(this.length + count);
    const { layers, batch, heads, headDim } = this.dims;
    const blocks = layers * batch * heads;
    const rowFloats = count * headDim;
    if (newKeys.length !== blocks * rowFloats || newValues.length !== blocks * rowFloats) {
      throw new Error(`KV append: got ${newKeys.length} floats, expected ${blocks * rowFloats}`);
    }
    for (let block = 0; block < blocks; block++) {
      const src = block * rowFloats;
      const dst = (block * this.capacity + this.length) * headDim;
      this.keys.set(newKeys.subarray(src, src + rowFloats), dst);
      this.values.set(newValues.subarray(src, src + rowFloats), dst);
    }
    this.length += count;
  }

  /**
   * Keep only the batch rows listed (in that order), e.g. when other rows have finished: later steps then
   * cost what the live rows cost. Per-row values are copied unchanged.
   */
  compact(keep: number[]): void {
    const { layers, batch, heads, headDim } = this.dims;
    const next = { layers, batch: keep.length, heads, headDim };
    const size = layers * keep.length * heads * this.capacity * headDim;
    const keys = new Float32Array(size);
    const values = new Float32Array(size);
    const rowBlock = heads * this.capacity * headDim; // one batch row of one layer
    const used = heads * this.capacity * headDim;
    for (let l = 0; l < layers; l++) {
      keep.forEach((b, j) => {
        const src = (l * batch + b) * rowBlock;
        const dst = (l * keep.length + j) * rowBlock;
        keys.set(this.keys.subarray(src, src + used), dst);
        values.set(this.values.subarray(src, src + used), dst);
      });
    }
    this.dims = next;
    this.keys = keys;
    this.values = values;
  }

  grow(minCapacity: number): void {
    const capacity = roundUpToBucket(minCapacity);
    if (capacity <= this.capacity) return;
    const { headDim } = this.dims;
    const blocks = this.dims.layers * this.dims.batch * this.dims.heads;
    const keys = new Float32Array(this.size(capacity));
    const values = new Float32Array(this.size(capacity));
    const used = this.length * headDim;
    for (let block = 0; block < blocks; block++) {
      const src = block * this.capacity * headDim;
      const dst = block * capacity * headDim;
      keys.set(this.keys.subarray(src, src + used), dst);
      values.set(this.values.subarray(src, src + used), dst);
    }
    this.keys = keys;
    this.values = values;
    this.capacity = capacity;
  }
}

export function roundUpToBucket(n: number): number {
  return Math.max(CAPACITY_BUCKET, Math.ceil(n / CAPACITY_BUCKET) * CAPACITY_BUCKET);
}
