// Reading the tiny pack's parity fixtures (written by native-models/midivalle/fixtures.py), so the tests can check
// ONNX graphs and token runs against the PyTorch reference. `arPrefill` and `arStep` are the two uses of the
// ar_decoder graph: a whole pass with no cache, and one cached step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tinyPackDir } from './engine-pack';

export { tinyPackDir };

export interface F32Fixture {
  dtype: 'float32';
  shape: number[];
  base64: string;
}

export interface ParityFixtures {
  tokens: number[][];
  wav: F32Fixture;
  codecEncode: { codes: number[][] };
  midiEmbed: { xa: F32Fixture; xn: F32Fixture };
  arPrefill: {
    mask: F32Fixture;
    logits: F32Fixture;
    key: F32Fixture;
    value: F32Fixture;
  };
  arStep: {
    token: number;
    audioPos: number;
    capacity: number;
    mask: F32Fixture;
    logits: F32Fixture;
    newKey: F32Fixture;
    newValue: F32Fixture;
  };
  greedy: { tokens: number[]; maxFrames: number };
  narStage: {
    promptFrames: number;
    stages: Array<{ stage: number; codes: number[][]; q: number[] }>;
    codes: number[][];
  };
  codecDecode: { codes: number[][]; wav: F32Fixture };
  batch: { shortTokens: number[][]; shortLogits: F32Fixture };
  sampled: Array<{
    seed: number;
    temperature: number;
    topK: number | null;
    topP: number | null;
    tokens: number[];
  }>;
}

export function readParityFixtures(dir = tinyPackDir): ParityFixtures {
  return JSON.parse(readFileSync(join(dir, 'fixtures', 'parity.json'), 'utf8')) as ParityFixtures;
}

export function f32(fixture: F32Fixture): Float32Array {
  const bytes = Buffer.from(fixture.base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
