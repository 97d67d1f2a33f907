// Parity with the PyTorch reference: the tiny pack's fixtures/parity.json (native-models/midivalle/fixtures.py)
// holds per-graph inputs/outputs and whole-run token sequences computed in PyTorch. The engine must match:
// floats within 1e-4, tokens exactly (greedy and seeded sampling).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCodes, encodeAudio } from '../../electron/engine/pipeline/codec';
import { generateSegments } from '../../electron/engine/pipeline/generate';
import { narMask, prefillMask, stepMask } from '../../electron/engine/pipeline/masks';
import { asFloat32, asInt32, float32Tensor, int64Tensor } from '../../electron/engine/pipeline/tensors';
import { openPackSessions, releasePackSessions, type PackSessions } from '../../electron/engine/runtime/pack-sessions';
import type { PromptCodes, SegmentInput } from '../../electron/engine/pipeline/types';
import { hasTinyPack, tinyPackDir } from '../support/engine-pack';

interface F32 {
  dtype: 'float32';
  shape: number[];
  base64: string;
}

interface Parity {
  tokens: number[][];
  wav: F32;
  codecEncode: { codes: number[][] };
  midiEmbed: { xa: F32; xn: F32 };
  arPrefill: { mask: F32; logits: F32; key: F32; value: F32 };
  arStep: { token: number; audioPos: number; capacity: number; mask: F32; logits: F32; newKey: F32; newValue: F32 };
  greedy: { tokens: number[]; maxFrames: number };
  narStage: {
    promptFrames: number;
    stages: Array<{ stage: number; codes: number[][]; q: number[] }>;
    codes: number[][];
  };
  codecDecode: { codes: number[][]; wav: F32 };
  batch: { shortTokens: number[][]; shortLogits: F32 };
  sampled: Array<{ seed: number; temperature: number; topK: number | null; topP: number | null; tokens: number[] }>;
}

const floats = (f: F32): Float32Array => {
  const bytes = Buffer.from(f.base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

function expectClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

describe.skipIf(!hasTinyPack)('parity with the PyTorch reference (tiny pack fixtures)', () => {
  let loaded: PackSessions;
  let fx: Parity;
  let prompt: PromptCodes;
  let S: number;
  let Tp: number;
  let xa: Float32Array;
  const D = (): number => loaded.pack.dims.dModel;

  beforeAll(async () => {
    fx = JSON.parse(readFileSync(join(tinyPackDir, 'fixtures', 'parity.json'), 'utf8')) as Parity;
    loaded = await openPackSessions(tinyPackDir, { threads: 2 });
    S = fx.tokens.length;
    Tp = fx.narStage.promptFrames;
    const planar = fx.codecEncode.codes; // [4, Tp]
    const codes = new Int32Array(Tp * 4);
    for (let f = 0; f < Tp; f++) for (let q = 0; q < 4; q++) codes[f * 4 + q] = planar[q]![f]!;
    prompt = { codes, frames: Tp };
  });
  afterAll(async () => loaded && releasePackSessions(loaded));

  it('codec encoder: the same codes for the prompt audio', async () => {
    const encoded = await encodeAudio(loaded.sessions.codecEncode, floats(fx.wav));
    expect(Array.from(encoded.codes)).toEqual(Array.from(prompt.codes));
  });

  it('midi_embed: xa and xn within 1e-4', async () => {
    const out = await loaded.sessions.midiEmbed.run({ tokens: int64Tensor(fx.tokens.flat(), [1, S, 6]) });
    xa = asFloat32(out.xa, 'xa');
    expectClose(xa, floats(fx.midiEmbed.xa));
    expectClose(asFloat32(out.xn, 'xn'), floats(fx.midiEmbed.xn));
  });

  it('masks built by the engine equal the reference masks', () => {
    expect(Array.from(prefillMask([S], S, Tp))).toEqual(Array.from(floats(fx.arPrefill.mask)));
    expect(Array.from(stepMask([S], S, S + Tp, fx.arStep.capacity))).toEqual(Array.from(floats(fx.arStep.mask)));
  });

  it('ar_prefill and ar_step: logits and K/V within 1e-4', async () => {
    const N = S + Tp;
    const prefill = await loaded.sessions.arPrefill.run({
      xa: float32Tensor(floats(fx.midiEmbed.xa), [1, S, D()]),
      prompt_q0: int64Tensor(fx.codecEncode.codes[0]!, [1, Tp]),
      mask: float32Tensor(prefillMask([S], S, Tp), [1, 1, N, N]),
    });
    expectClose(asFloat32(prefill.logits, 'logits'), floats(fx.arPrefill.logits));
    expectClose(asFloat32(prefill.key, 'key'), floats(fx.arPrefill.key));
    expectClose(asFloat32(prefill.value, 'value'), floats(fx.arPrefill.value));

    const { layers, batch, heads, headDim } = {
      layers: loaded.pack.dims.arLayers,
      batch: 1,
      heads: loaded.pack.dims.heads,
      headDim: loaded.pack.dims.headDim,
    };
    const C = fx.arStep.capacity;
    const pastKey = new Float32Array(layers * batch * heads * C * headDim);
    const pastValue = new Float32Array(pastKey.length);
    const key = floats(fx.arPrefill.key);
    const value = floats(fx.arPrefill.value);
    for (let block = 0; block < layers * heads; block++) {
      pastKey.set(key.subarray(block * N * headDim, (block + 1) * N * headDim), block * C * headDim);
      pastValue.set(value.subarray(block * N * headDim, (block + 1) * N * headDim), block * C * headDim);
    }
    const shape = [layers, 1, heads, C, headDim];
    const step = await loaded.sessions.arStep.run({
      token: int64Tensor([fx.arStep.token], [1, 1]),
      audio_pos: int64Tensor([fx.arStep.audioPos], [1]),
      past_key: float32Tensor(pastKey, shape),
      past_value: float32Tensor(pastValue, shape),
      mask: float32Tensor(stepMask([S], S, N, C), [1, 1, 1, C + 1]),
    });
    expectClose(asFloat32(step.logits, 'logits'), floats(fx.arStep.logits));
    expectClose(asFloat32(step.new_key, 'new_key'), floats(fx.arStep.newKey));
    expectClose(asFloat32(step.new_value, 'new_value'), floats(fx.arStep.newValue));
  });

  it('a padded batch row gives the logits of the short sequence alone (within 1e-4)', async () => {
    const short = fx.batch.shortTokens;
    const tokens = new Int32Array(2 * S * 6);
    tokens.set(fx.tokens.flat());
    tokens.set(short.flat(), S * 6);
    const embedded = await loaded.sessions.midiEmbed.run({ tokens: int64Tensor(tokens, [2, S, 6]) });
    const N = S + Tp;
    const q0 = fx.codecEncode.codes[0]!;
    const out = await loaded.sessions.arPrefill.run({
      xa: embedded.xa!,
      prompt_q0: int64Tensor([...q0, ...q0], [2, Tp]),
      mask: float32Tensor(prefillMask([S, short.length], S, Tp), [2, 1, N, N]),
    });
    const logits = asFloat32(out.logits, 'logits');
    expectClose(logits.subarray(0, 2049), floats(fx.arPrefill.logits));
    expectClose(logits.subarray(2049), floats(fx.batch.shortLogits));
  });

  it('nar_stage: each stage predicts the reference codes', async () => {
    const T = Tp + fx.greedy.tokens.length;
    for (const stage of fx.narStage.stages) {
      const out = await loaded.sessions.narStage.run({
        xn: float32Tensor(floats(fx.midiEmbed.xn), [1, S, D()]),
        codes: int64Tensor(stage.codes.flat(), [1, T, 4]),
        prompt_frames: int64Tensor([Tp], [1]),
        stage: int64Tensor([stage.stage], [1]),
        mask: float32Tensor(narMask([S], S, [T], T), [1, 1, 1, S + T]),
      });
      expect(Array.from(asInt32(out.q, 'q')).slice(Tp), `stage ${stage.stage}`).toEqual(stage.q.slice(Tp));
    }
  });

  it('codec decoder: samples within 1e-4', async () => {
    const planar = fx.codecDecode.codes; // [4, F]
    const frames = planar[0]!.length;
    const codes = new Int32Array(frames * 4);
    for (let f = 0; f < frames; f++) for (let q = 0; q < 4; q++) codes[f * 4 + q] = planar[q]![f]!;
    expectClose(await decodeCodes(loaded.sessions.codecDecode, codes), floats(fx.codecDecode.wav));
  });

  const segment = (seed: number): SegmentInput => ({ tokens: Int32Array.from(fx.tokens.flat()), rows: S, seed });

  it('greedy generation (KV cache and full recompute) matches the reference token for token, NAR included', async () => {
    for (const mode of ['kv-cache', 'full-recompute'] as const) {
      const [result] = await generateSegments(loaded, prompt, [segment(0)], {
        sampling: { temperature: 1, greedy: true },
        mode,
      });
      const q0 = Array.from({ length: result!.frames }, (_, f) => result!.codes[f * 4]!);
      expect(q0, mode).toEqual(fx.greedy.tokens);
      expect(Array.from(result!.codes), mode).toEqual(fx.narStage.codes.flat());
      expect(result!.audio.length).toBe(result!.frames * 640);
    }
  });

  it('seeded sampling matches the reference token for token', async () => {
    for (const run of fx.sampled) {
      const sampling = { temperature: run.temperature, topK: run.topK ?? undefined, topP: run.topP ?? undefined };
      const [result] = await generateSegments(loaded, prompt, [segment(run.seed)], { sampling, skipDecode: true });
      const q0 = Array.from({ length: result!.frames }, (_, f) => result!.codes[f * 4]!);
      expect(q0, `seed ${run.seed}`).toEqual(run.tokens);
    }
  });
});
