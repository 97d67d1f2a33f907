// The tiny fp32 pack's draft decoder (arDraftDecoder, ar_draft_decoder.onnx: the int8 form of arDecoder, written by
// native-models/midivalle/pack.py for speculative decoding) run straight through onnxruntime-node against the fp32
// arDecoder: both give logits for every new row, and the draft's greedy next frame agrees with the fp32 decoder's
// as often as int8 weights and an int8 KV cache allow, in a whole pass (P = 0) and in a k-row pass after a cache
// (the shape of a verification pass). Nothing of the engine's pipeline is used, so this checks the graphs alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrt, type OrtSession, type OrtTensor } from '../../electron/engine/runtime/ort';
import { hasTinyPack, tinyPackDir } from '../support/engine-pack';
import { f32, readParityFixtures, type ParityFixtures } from '../support/pack-fixtures';

const FRAMES = 48; // greedy frames of the fixture run fed back (teacher forcing)
const BLOCKED = -1e9;

interface Dims {
  L: number;
  H: number;
  Dh: number;
  D: number;
  V1: number;
}

function argmaxRows(logits: Float32Array, rows: number, width: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let v = 1; v < width; v++) if (logits[r * width + v]! > logits[r * width + best]!) best = v;
    out.push(best);
  }
  return out;
}

/** [1,1,T,P+T]: every cached slot visible (all real here), the new rows causally. */
function causalMask(P: number, T: number): Float32Array {
  const mask = new Float32Array(T * (P + T));
  for (let t = 0; t < T; t++) for (let k = P + t + 1; k < P + T; k++) mask[t * (P + T) + k] = BLOCKED;
  return mask;
}

/** Prefill mask [1,1,S+T,S+T] with no padded MIDI rows: MIDI rows see MIDI keys; audio rows MIDI + causal audio. */
function prefillMask(S: number, T: number): Float32Array {
  const n = S + T;
  const mask = new Float32Array(n * n);
  for (let q = 0; q < n; q++) for (let k = 0; k < n; k++) if (k >= S && (q < S || k > q)) mask[q * n + k] = BLOCKED;
  return mask;
}

describe.skipIf(!hasTinyPack)('tiny pack: the int8 draft decoder against the fp32 decoder', () => {
  const ort = loadOrt();
  const sessions: Record<string, OrtSession> = {};
  let fx: ParityFixtures;
  let dims: Dims;
  let S: number;
  let Tp: number;
  let x: Float32Array; // [1, S+Tp+FRAMES, D]: MIDI rows, the prompt's q0, the fixture's greedy frames
  let greedy: number[];

  const f = (data: Float32Array, shape: number[]) => new ort.Tensor('float32', data, shape);

  /** Empty or given past inputs in the fp32 form (per layer key, value). */
  function fp32Past(P: number, keys?: Float32Array, values?: Float32Array): Record<string, OrtTensor> {
    const { L, H, Dh } = dims;
    const feeds: Record<string, OrtTensor> = {};
    const layer = (all: Float32Array | undefined, l: number) =>
      all ? all.slice(l * H * P * Dh, (l + 1) * H * P * Dh) : new Float32Array(0);
    for (let l = 0; l < L; l++) {
      feeds[`past_key_${l}`] = f(layer(keys, l), [1, H, P, Dh]);
      feeds[`past_value_${l}`] = f(layer(values, l), [1, H, P, Dh]);
    }
    return feeds;
  }

  /**
   * The int8 form of a [L,1,H,P,Dh] cache (docs/model-pack.md "KV cache layout"): keys u8 with zero point 128 and
   * ±127 levels, values s8 with ±63 levels, one scale per (layer, head, slot).
   */
  function int8Past(P: number, keys?: Float32Array, values?: Float32Array): Record<string, OrtTensor> {
    const { L, H, Dh } = dims;
    const feeds: Record<string, OrtTensor> = {};
    for (let l = 0; l < L; l++) {
      const k8 = new Uint8Array(H * P * Dh);
      const v8 = new Int8Array(H * P * Dh);
      const ks = new Float32Array(H * P);
      const vs = new Float32Array(H * P);
      for (let slot = 0; slot < H * P; slot++) {
        const base = l * H * P * Dh + slot * Dh;
        let kPeak = 0;
        let vPeak = 0;
        for (let d = 0; d < Dh; d++) {
          kPeak = Math.max(kPeak, Math.abs(keys![base + d]!));
          vPeak = Math.max(vPeak, Math.abs(values![base + d]!));
        }
        ks[slot] = kPeak > 0 ? kPeak / 127 : 1;
        vs[slot] = vPeak > 0 ? vPeak / 63 : 1;
        for (let d = 0; d < Dh; d++) {
          k8[slot * Dh + d] = Math.round(keys![base + d]! / ks[slot]!) + 128;
          v8[slot * Dh + d] = Math.round(values![base + d]! / vs[slot]!);
        }
      }
      feeds[`past_key_${l}`] = new ort.Tensor('uint8', k8, [1, H, P, Dh]);
      feeds[`past_key_scale_${l}`] = f(ks, [1, H, P, 1]);
      feeds[`past_value_${l}`] = new ort.Tensor('int8', v8, [1, H, P, Dh]);
      feeds[`past_value_scale_${l}`] = f(vs, [1, H, 1, P]);
    }
    return feeds;
  }

  async function decode(
    which: 'arDecoder' | 'arDraftDecoder',
    rows: Float32Array,
    T: number,
    mask: Float32Array,
    past: Record<string, OrtTensor>,
    P: number,
  ): Promise<{ logits: Float32Array; keys: Float32Array; values: Float32Array }> {
    const out = await sessions[which]!.run({ x: f(rows, [1, T, dims.D]), mask: f(mask, [1, 1, T, P + T]), ...past });
    expect(out.logits!.dims).toEqual([1, T, dims.V1]);
    return {
      logits: out.logits!.data as Float32Array,
      keys: out.new_key!.data as Float32Array,
      values: out.new_value!.data as Float32Array,
    };
  }

  beforeAll(async () => {
    fx = readParityFixtures(tinyPackDir);
    const pack = readFileSync(join(tinyPackDir, 'pack.json'), 'utf8');
    const manifest = JSON.parse(pack) as {
      model: { dModel: number; heads: number; headDim: number; arLayers: number };
      audio: { codebookSize: number };
      graphs: Record<string, { file: string }>;
    };
    const { model } = manifest;
    dims = {
      L: model.arLayers,
      H: model.heads,
      Dh: model.headDim,
      D: model.dModel,
      V1: manifest.audio.codebookSize + 1,
    };
    for (const key of ['arEmbed', 'arDecoder', 'arDraftDecoder']) {
      sessions[key] = await ort.InferenceSession.create(join(tinyPackDir, manifest.graphs[key]!.file), {
        intraOpNumThreads: 1,
      });
    }
    S = fx.tokens.length;
    Tp = fx.narStage.promptFrames;
    greedy = fx.greedy.tokens.slice(0, FRAMES);
    const ids = [...fx.codecEncode.codes[0]!, ...greedy];
    const embedded = await sessions.arEmbed!.run({
      tokens: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
      start: new ort.Tensor('int64', BigInt64Array.from([0n]), [1]),
    });
    const y = embedded.y!.data as Float32Array;
    x = new Float32Array((S + ids.length) * dims.D);
    x.set(f32(fx.midiEmbed.xa));
    x.set(y, S * dims.D);
  });
  afterAll(async () => {
    for (const session of Object.values(sessions)) await session.release();
  });

  it('a whole pass: every row has logits; the fp32 rows give the greedy run, the draft agrees on most', async () => {
    const T = Tp + FRAMES;
    const mask = prefillMask(S, T);
    const fp32 = await decode('arDecoder', x, S + T, mask, fp32Past(0), 0);
    const draft = await decode('arDraftDecoder', x, S + T, mask, int8Past(0), 0);
    // row S+Tp-1+g predicts frame g
    const want = argmaxRows(fp32.logits, S + T, dims.V1).slice(S + Tp - 1, S + T - 1);
    expect(want).toEqual(greedy);
    const got = argmaxRows(draft.logits, S + T, dims.V1).slice(S + Tp - 1, S + T - 1);
    const agree = got.filter((id, g) => id === greedy[g]).length / FRAMES;
    expect(agree).toBeGreaterThanOrEqual(0.9);
  });

  it('a k-row pass after an int8 cache (a verification pass): the draft agrees with the fp32 decoder', async () => {
    // the fp32 decoder fills the cache with the MIDI rows and the prompt; the greedy frames are the new rows
    const P = S + Tp;
    const prefix = await decode('arDecoder', x.subarray(0, P * dims.D), P, prefillMask(S, Tp), fp32Past(0), 0);
    const rows = x.subarray(P * dims.D);
    const mask = causalMask(P, FRAMES);
    const fp32 = await decode('arDecoder', rows, FRAMES, mask, fp32Past(P, prefix.keys, prefix.values), P);
    const draft = await decode('arDraftDecoder', rows, FRAMES, mask, int8Past(P, prefix.keys, prefix.values), P);
    // new row j (frame j) predicts frame j+1
    const want = argmaxRows(fp32.logits, FRAMES, dims.V1).slice(0, FRAMES - 1);
    expect(want).toEqual(greedy.slice(1));
    const got = argmaxRows(draft.logits, FRAMES, dims.V1).slice(0, FRAMES - 1);
    const agree = got.filter((id, j) => id === want[j]).length / want.length;
    expect(agree).toBeGreaterThanOrEqual(0.9);
    expect(draft.keys.length).toBe(fp32.keys.length); // fp32 K/V rows for the same positions, for the cache
  });
});
