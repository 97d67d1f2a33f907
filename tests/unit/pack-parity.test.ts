// Every graph of the committed tiny pack against the PyTorch reference (fixtures written by
// native-models/make_test_pack.py), and the engine-style KV-cache loop against the official full-recompute tokens.
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  argmax,
  f32,
  maxAbsDiff,
  mulberry32,
  readParityFixtures,
  sampleId,
  tinyPackDir,
  type ParityFixtures,
} from '../support/pack-fixtures';

const TOLERANCE = 1e-4;
const NEG = -1e9;
type Sessions = Record<string, ort.InferenceSession>;

const files: Record<string, string> = {
  midiEmbed: 'midi_embed.onnx',
  arPrefill: 'ar_prefill.onnx',
  arStep: 'ar_step.onnx',
  narStage: 'nar_stage.onnx',
  codecEncode: 'codec_encoder.onnx',
  codecDecode: 'codec_decoder.onnx',
};

const int64 = (values: number[], dims: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);
const float = (values: Float32Array, dims: number[]) => new ort.Tensor('float32', values, dims);
const numbers = (t: ort.Tensor) => Array.from(t.data as BigInt64Array, Number);

let fx: ParityFixtures;
let s: Sessions;

beforeAll(async () => {
  fx = readParityFixtures();
  s = {};
  for (const [key, file] of Object.entries(files)) {
    s[key] = await ort.InferenceSession.create(join(tinyPackDir, file), {
      intraOpNumThreads: 1,
    });
  }
});

/** Prefill mask per docs/model-pack.md for rows with `midiLens` real MIDI rows, MIDI block `S`, `T` audio frames. */
function prefillMask(midiLens: number[], S: number, T: number): Float32Array {
  const n = S + T;
  const mask = new Float32Array(midiLens.length * n * n).fill(NEG);
  midiLens.forEach((m, b) => {
    for (let q = 0; q < n; q++) {
      const row = b * n * n + q * n;
      for (let k = 0; k < m; k++) mask[row + k] = 0;
      if (q >= S) for (let k = S; k <= q; k++) mask[row + k] = 0;
      if (q >= m && q < S) mask[row + q] = 0;
    }
  });
  return mask;
}

function flatTokens(rows: number[][]): number[] {
  return rows.flat();
}

async function embed(tokens: number[][]) {
  const out = await s.midiEmbed!.run({
    tokens: int64(flatTokens(tokens), [1, tokens.length, 6]),
  });
  return { xa: out.xa!.data as Float32Array, xn: out.xn!.data as Float32Array };
}

describe('tiny pack graphs match the PyTorch reference', () => {
  it('codec_encoder gives the same codes', async () => {
    const wav = fx.wav;
    const out = await s.codecEncode!.run({ wav: float(f32(wav), wav.shape) });
    expect(out.codes!.dims).toEqual([1, 4, fx.codecEncode.codes[0]!.length]);
    expect(numbers(out.codes!)).toEqual(fx.codecEncode.codes.flat());
  });

  it('midi_embed matches within 1e-4', async () => {
    const { xa, xn } = await embed(fx.tokens);
    expect(maxAbsDiff(xa, f32(fx.midiEmbed.xa))).toBeLessThan(TOLERANCE);
    expect(maxAbsDiff(xn, f32(fx.midiEmbed.xn))).toBeLessThan(TOLERANCE);
  });

  it('ar_prefill matches within 1e-4, and our mask equals the reference mask', async () => {
    const S = fx.tokens.length;
    const q0 = fx.codecEncode.codes[0]!;
    const mask = prefillMask([S], S, q0.length);
    expect(maxAbsDiff(mask, f32(fx.arPrefill.mask))).toBe(0);
    const out = await s.arPrefill!.run({
      xa: float(f32(fx.midiEmbed.xa), fx.midiEmbed.xa.shape),
      prompt_q0: int64(q0, [1, q0.length]),
      mask: float(mask, [1, 1, S + q0.length, S + q0.length]),
    });
    expect(maxAbsDiff(out.logits!.data as Float32Array, f32(fx.arPrefill.logits))).toBeLessThan(TOLERANCE);
    expect(out.key!.dims).toEqual(fx.arPrefill.key.shape);
    expect(maxAbsDiff(out.key!.data as Float32Array, f32(fx.arPrefill.key))).toBeLessThan(TOLERANCE);
    expect(maxAbsDiff(out.value!.data as Float32Array, f32(fx.arPrefill.value))).toBeLessThan(TOLERANCE);
  });

  it('ar_step matches within 1e-4 and returns one new row per layer', async () => {
    const step = fx.arStep;
    const [L, , H, filled, Dh] = fx.arPrefill.key.shape as [number, number, number, number, number];
    const pastK = new Float32Array(L * H * step.capacity * Dh);
    const pastV = new Float32Array(pastK.length);
    copyRows(f32(fx.arPrefill.key), pastK, L * H, filled, step.capacity, Dh, 0);
    copyRows(f32(fx.arPrefill.value), pastV, L * H, filled, step.capacity, Dh, 0);
    const out = await s.arStep!.run({
      token: int64([step.token], [1, 1]),
      audio_pos: int64([step.audioPos], [1]),
      past_key: float(pastK, [L, 1, H, step.capacity, Dh]),
      past_value: float(pastV, [L, 1, H, step.capacity, Dh]),
      mask: float(f32(step.mask), step.mask.shape),
    });
    expect(out.new_key!.dims).toEqual([L, 1, H, 1, Dh]);
    expect(maxAbsDiff(out.logits!.data as Float32Array, f32(step.logits))).toBeLessThan(TOLERANCE);
    expect(maxAbsDiff(out.new_key!.data as Float32Array, f32(step.newKey))).toBeLessThan(TOLERANCE);
    expect(maxAbsDiff(out.new_value!.data as Float32Array, f32(step.newValue))).toBeLessThan(TOLERANCE);
  });

  it('nar_stage gives the same greedy codes for every stage', async () => {
    const T = fx.narStage.stages[0]!.codes.length;
    const S = fx.tokens.length;
    for (const stage of fx.narStage.stages) {
      const out = await s.narStage!.run({
        xn: float(f32(fx.midiEmbed.xn), fx.midiEmbed.xn.shape),
        codes: int64(stage.codes.flat(), [1, T, 4]),
        prompt_frames: int64([fx.narStage.promptFrames], [1]),
        stage: int64([stage.stage], [1]),
        mask: float(new Float32Array(S + T), [1, 1, 1, S + T]),
      });
      expect(numbers(out.q!)).toEqual(stage.q);
    }
  });

  it('codec_decoder matches within 1e-4', async () => {
    const codes = fx.codecDecode.codes;
    const out = await s.codecDecode!.run({
      codes: int64(codes.flat(), [1, 4, codes[0]!.length]),
    });
    expect(out.wav!.dims).toEqual([1, 1, 640 * codes[0]!.length]);
    expect(maxAbsDiff(out.wav!.data as Float32Array, f32(fx.codecDecode.wav))).toBeLessThan(TOLERANCE);
  });

  it('a padded batch row gives the same prefill logits as the row alone', async () => {
    const long = fx.tokens;
    const short = fx.batch.shortTokens;
    const S = long.length;
    const padded = [...short, ...Array.from({ length: S - short.length }, () => [0, 0, 0, 0, 0, 0])];
    const xa = new Float32Array(2 * S * (fx.midiEmbed.xa.shape[2] as number));
    xa.set((await embed(long)).xa, 0);
    xa.set((await embed(padded)).xa, xa.length / 2);
    const q0 = fx.codecEncode.codes[0]!;
    const Tp = q0.length;
    const out = await s.arPrefill!.run({
      xa: float(xa, [2, S, fx.midiEmbed.xa.shape[2] as number]),
      prompt_q0: int64([...q0, ...q0], [2, Tp]),
      mask: float(prefillMask([S, short.length], S, Tp), [2, 1, S + Tp, S + Tp]),
    });
    const logits = out.logits!.data as Float32Array;
    const V = logits.length / 2;
    expect(maxAbsDiff(logits.subarray(0, V), f32(fx.arPrefill.logits))).toBeLessThan(TOLERANCE);
    expect(maxAbsDiff(logits.subarray(V), f32(fx.batch.shortLogits))).toBeLessThan(TOLERANCE);
  });
});

/** Copy `rows` rows of each of `blocks` [rows, Dh] blocks into a [capacity, Dh]-strided buffer at `slot`. */
function copyRows(
  src: Float32Array,
  dst: Float32Array,
  blocks: number,
  rows: number,
  capacity: number,
  Dh: number,
  slot: number,
) {
  for (let b = 0; b < blocks; b++) {
    dst.set(src.subarray(b * rows * Dh, (b + 1) * rows * Dh), (b * capacity + slot) * Dh);
  }
}

/** The engine's AR loop over ar_prefill + ar_step with capacity buckets of 128 (batch 1). */
async function decodeWithCache(choose: (logits: Float32Array) => number): Promise<number[]> {
  const S = fx.tokens.length;
  const q0 = fx.codecEncode.codes[0]!;
  const Tp = q0.length;
  const eos = 2048;
  const pre = await s.arPrefill!.run({
    xa: float(f32(fx.midiEmbed.xa), fx.midiEmbed.xa.shape),
    prompt_q0: int64(q0, [1, Tp]),
    mask: float(prefillMask([S], S, Tp), [1, 1, S + Tp, S + Tp]),
  });
  const [L, , H, , Dh] = pre.key!.dims as [number, number, number, number, number];
  let filled = S + Tp;
  let capacity = Math.ceil((filled + 1) / 128) * 128;
  let keys = new Float32Array(L * H * capacity * Dh);
  let values = new Float32Array(keys.length);
  copyRows(pre.key!.data as Float32Array, keys, L * H, filled, capacity, Dh, 0);
  copyRows(pre.value!.data as Float32Array, values, L * H, filled, capacity, Dh, 0);
  let logits = pre.logits!.data as Float32Array;
  const out: number[] = [];
  for (;;) {
    const chosen = choose(logits);
    if (argmax(logits) === eos || chosen === eos || out.length > 16 * S) break;
    out.push(chosen);
    if (filled === capacity) {
      const grown = capacity + 128;
      const k2 = new Float32Array(L * H * grown * Dh);
      const v2 = new Float32Array(k2.length);
      copyRows(keys, k2, L * H, capacity, grown, Dh, 0);
      copyRows(values, v2, L * H, capacity, grown, Dh, 0);
      [keys, values, capacity] = [k2, v2, grown];
    }
    const mask = new Float32Array(capacity + 1).fill(NEG);
    mask.fill(0, 0, filled);
    mask[capacity] = 0;
    const step = await s.arStep!.run({
      token: int64([chosen], [1, 1]),
      audio_pos: int64([filled - S], [1]),
      past_key: float(keys, [L, 1, H, capacity, Dh]),
      past_value: float(values, [L, 1, H, capacity, Dh]),
      mask: float(mask, [1, 1, 1, capacity + 1]),
    });
    copyRows(step.new_key!.data as Float32Array, keys, L * H, 1, capacity, Dh, filled);
    copyRows(step.new_value!.data as Float32Array, values, L * H, 1, capacity, Dh, filled);
    filled += 1;
    logits = step.logits!.data as Float32Array;
  }
  return out;
}

describe('KV-cache decoding over the ONNX graphs', () => {
  it('reproduces the official full-recompute greedy tokens exactly', async () => {
    const tokens = await decodeWithCache((logits) => argmax(logits));
    expect(tokens.length).toBe(fx.greedy.tokens.length);
    expect(tokens).toEqual(fx.greedy.tokens);
  });

  it('reproduces the seeded sampling runs token for token', async () => {
    for (const run of fx.sampled) {
      const next = mulberry32(run.seed);
      const tokens = await decodeWithCache((logits) => sampleId(logits, next, run.temperature, run.topK, run.topP));
      expect(tokens).toEqual(run.tokens);
    }
  });
});
