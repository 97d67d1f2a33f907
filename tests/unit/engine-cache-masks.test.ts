// The JS-owned KV cache and the additive masks: the parts of the cached AR loop that are plain arithmetic.
import { describe, expect, it } from 'vitest';
import { KvCache, roundUpToBucket } from '../../electron/engine/pipeline/kv-cache';
import { BLOCKED, narMask, prefillMask, stepMask } from '../../electron/engine/pipeline/masks';

const open = (mask: Float32Array, offset: number, width: number): number[] =>
  Array.from(mask.subarray(offset, offset + width)).map((v) => (v === 0 ? 1 : v === BLOCKED ? 0 : NaN));

describe('masks', () => {
  it('prefill: MIDI sees real MIDI only, audio sees real MIDI and earlier audio, padded MIDI sees itself', () => {
    // Row 0 has 3 real MIDI rows, row 1 has 2 (padded to S = 3); 2 audio frames.
    const mask = prefillMask([3, 2], 3, 2);
    const N = 5;
    expect(open(mask, 0 * N, N)).toEqual([1, 1, 1, 0, 0]); // row 0, MIDI query 0
    expect(open(mask, 3 * N, N)).toEqual([1, 1, 1, 1, 0]); // row 0, first audio query
    expect(open(mask, 4 * N, N)).toEqual([1, 1, 1, 1, 1]);
    const row1 = N * N;
    expect(open(mask, row1 + 0 * N, N)).toEqual([1, 1, 0, 0, 0]);
    expect(open(mask, row1 + 2 * N, N)).toEqual([0, 0, 1, 0, 0]); // the padded query
    expect(open(mask, row1 + 4 * N, N)).toEqual([1, 1, 0, 1, 1]);
  });

  it('step: filled slots except padded MIDI, empty slots blocked, the new frame open', () => {
    const mask = stepMask([3, 2], 3, 5, 8);
    expect(open(mask, 0, 9)).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 1]);
    expect(open(mask, 9, 9)).toEqual([1, 1, 0, 1, 1, 0, 0, 0, 1]);
  });

  it('nar: key padding of MIDI and of each row’s audio frames', () => {
    const mask = narMask([2, 1], 2, [3, 1], 3);
    expect(open(mask, 0, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(open(mask, 5, 5)).toEqual([1, 0, 1, 0, 0]);
  });
});

describe('KvCache', () => {
  it('writes rows at slot `length` per (layer, batch, head) and keeps them when it grows', () => {
    const dims = { layers: 2, batch: 2, heads: 1, headDim: 2 };
    const cache = new KvCache(dims, 1);
    expect(cache.capacity).toBe(128);
    const blocks = 4;
    // 127 prefill rows: value = block * 1000 + slot
    const prefill = new Float32Array(blocks * 127 * 2);
    for (let b = 0; b < blocks; b++)
      for (let s = 0; s < 127; s++) prefill.fill(b * 1000 + s, (b * 127 + s) * 2, (b * 127 + s) * 2 + 2);
    cache.append(prefill, prefill, 127);
    for (const slot of [127, 128]) {
      const row = new Float32Array(blocks * 2);
      for (let b = 0; b < blocks; b++) row.fill(b * 1000 + slot, b * 2, b * 2 + 2);
      cache.append(row, row, 1);
    }
    expect(cache.length).toBe(129);
    expect(cache.capacity).toBe(256);
    expect(cache.layerInputs(0)[0]!.dims).toEqual([2, 1, 256, 2]);
    expect(cache.layerInputs(1)[0]!.data[0]).toBe(2000); // layer 1's first block starts at its own slot 0
    for (let b = 0; b < blocks; b++) {
      for (const slot of [0, 126, 127, 128]) expect(cache.keys[(b * 256 + slot) * 2]).toBe(b * 1000 + slot);
      expect(cache.values[(b * 256 + 129) * 2]).toBe(0);
    }
  });

  it('compact keeps the listed batch rows with their rows intact', () => {
    const cache = new KvCache({ layers: 2, batch: 3, heads: 1, headDim: 1 }, 1);
    // value = layer * 100 + batch row * 10 + slot
    const rows = new Float32Array(2 * 3 * 2);
    for (let l = 0; l < 2; l++)
      for (let b = 0; b < 3; b++) for (let s = 0; s < 2; s++) rows[(l * 3 + b) * 2 + s] = l * 100 + b * 10 + s;
    cache.append(rows, rows, 2);
    cache.compact([2, 0]);
    expect(cache.layerInputs(0)[0]!.dims).toEqual([2, 1, 128, 1]);
    const read = (l: number, j: number, s: number): number => cache.keys[(l * 2 + j) * 128 + s]!;
    expect([read(0, 0, 0), read(0, 0, 1), read(0, 1, 1), read(1, 0, 0), read(1, 1, 1)]).toEqual([20, 21, 1, 120, 101]);
    const next = new Float32Array([7, 8, 9, 10]);
    cache.append(next, next, 1);
    expect([read(0, 0, 2), read(0, 1, 2), read(1, 0, 2), read(1, 1, 2)]).toEqual([7, 8, 9, 10]);
  });

  it('int8 form: quantises each (layer, row, head, slot) with its own scale and keeps them through grow and compact', () => {
    const dims = { layers: 2, batch: 2, heads: 1, headDim: 4 };
    const cache = new KvCache(dims, 1, 'int8');
    expect(cache.bytes()).toBe(2 * (4 * 128 * 4) + 2 * 4 * 4 * 128); // u8 keys + s8 values + two f32 scales a slot
    // block b (= layer·2 + row), slot s: keys k·(b+1)·(s+1), values v·(b+1)·(s+1) for fixed rows k, v
    const k = [0.5, -1, 0.25, 0.75];
    const v = [2, -0.5, 1, -2];
    const rows = (base: number[], slot: number, count: number) => {
      const out = new Float32Array(4 * count * 4);
      for (let b = 0; b < 4; b++)
        for (let t = 0; t < count; t++)
          base.forEach((x, i) => (out[(b * count + t) * 4 + i] = x * (b + 1) * (slot + t + 1)));
      return out;
    };
    cache.append(rows(k, 0, 127), rows(v, 0, 127), 127);
    cache.append(rows(k, 127, 2), rows(v, 127, 2), 2); // grows to 256
    expect([cache.length, cache.capacity]).toEqual([129, 256]);
    const dequantised = (b: number, s: number) => {
      const slot = b * cache.capacity + s;
      return {
        key: Array.from({ length: 4 }, (_, i) => (cache.keys[slot * 4 + i]! - 128) * cache.keyScales[slot]!),
        value: Array.from({ length: 4 }, (_, i) => cache.values[slot * 4 + i]! * cache.valueScales[slot]!),
      };
    };
    for (const b of [0, 3])
      for (const s of [0, 126, 128]) {
        const got = dequantised(b, s);
        const f = (b + 1) * (s + 1);
        k.forEach((x, i) => expect(Math.abs(got.key[i]! - x * f)).toBeLessThanOrEqual((f * 1) / 127 / 2 + 1e-6));
        v.forEach((x, i) => expect(Math.abs(got.value[i]! - x * f)).toBeLessThanOrEqual((f * 2) / 63 / 2 + 1e-6));
        expect(cache.keys[(b * 256 + s) * 4 + 1]).toBe(128 - 127); // the peak maps to ±levels
        expect(cache.values[(b * 256 + s) * 4 + 0]).toBe(63);
      }
    const inputs = cache.layerInputs(1);
    expect(inputs.map((x) => [x.type, x.dims.join(',')])).toEqual([
      ['uint8', '2,1,256,4'],
      ['float32', '2,1,256,1'],
      ['int8', '2,1,256,4'],
      ['float32', '2,1,1,256'],
    ]);
    expect(inputs[1]!.data[0]).toBe(cache.keyScales[2 * 256]); // layer 1 starts at block 2
    const before = dequantised(3, 128); // layer 1, row 1
    cache.compact([1]);
    expect(cache.dims.batch).toBe(1);
    expect(dequantised(1, 128)).toEqual(before); // now layer 1, row 0 = block 1
  });

  it('grows in place within its reserve, holding exactly what a cache that reallocates holds', () => {
    for (const kind of ['float32', 'int8'] as const) {
      const dims = { layers: 2, batch: 2, heads: 2, headDim: 3 };
      const reallocating = new KvCache(dims, 100, kind);
      const reserved = new KvCache(dims, 100, kind, 400);
      const arrays = [reserved.keys, reserved.values];
      let seed = 1;
      const random = (n: number) =>
        new Float32Array(n).map(() => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
      for (const count of [99, 1, 40, 100, 1, 1, 90]) {
        const keys = random(8 * count * 3);
        const values = random(8 * count * 3);
        reallocating.append(keys, values, count);
        reserved.append(keys, values, count);
      }
      expect([reserved.length, reserved.capacity], kind).toEqual([332, 384]);
      expect([reserved.keys, reserved.values], `${kind}: no new arrays while within the reserve`).toEqual(arrays);
      expect(reserved.keys).toBe(arrays[0]);
      for (let l = 0; l < 2; l++) {
        const want = reallocating.layerInputs(l);
        reserved.layerInputs(l).forEach((input, i) => {
          expect(input.dims).toEqual(want[i]!.dims);
          expect(Array.from(input.data), `${kind} layer ${l} input ${i}`).toEqual(Array.from(want[i]!.data));
        });
      }
      // Past the reserve it reallocates, with room for half as much again.
      expect(reserved.reserve).toBe(512);
      reserved.grow(600);
      expect([reserved.capacity, reserved.reserve]).toEqual([640, 768]);
      expect(reserved.keys).not.toBe(arrays[0]);
    }
  });

  it('rounds capacities up to buckets of 128', () => {
    expect([1, 128, 129, 300].map(roundUpToBucket)).toEqual([128, 128, 256, 384]);
  });
});
