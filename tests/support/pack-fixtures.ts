// Reading the tiny pack's parity fixtures (written by native-models/midivalle/fixtures.py) and the sampling rule
// of docs/model-pack.md, so the tests can check ONNX graphs and token runs against the PyTorch reference.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectDir } from './shared-data';

export const tinyPackDir = join(projectDir, 'native-models', 'packs', 'tiny');

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

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** mulberry32 over a uint32 seed; next() is a uint32. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** docs/model-pack.md "Sampling", float64; kept ids are walked in ascending id order. */
export function sampleId(
  logits: ArrayLike<number>,
  next: () => number,
  temperature: number,
  topK: number | null,
  topP: number | null,
): number {
  const n = logits.length;
  const scaled = Array.from(logits, (x) => x / temperature);
  let kept = [...Array(n).keys()];
  if (topK !== null && topK > 0 && topK < n) {
    kept = [...kept]
      .sort((a, b) => scaled[b]! - scaled[a]! || a - b)
      .slice(0, topK)
      .sort((a, b) => a - b);
  }
  let peak = -Infinity;
  for (const i of kept) peak = Math.max(peak, scaled[i]!);
  const probs = new Map<number, number>();
  let norm = 0;
  for (const i of kept) norm += Math.exp(scaled[i]! - peak);
  for (const i of kept) probs.set(i, Math.exp(scaled[i]! - peak) / norm);
  if (topP !== null && topP < 1) {
    const order = [...kept].sort((a, b) => probs.get(b)! - probs.get(a)! || a - b);
    const chosen: number[] = [];
    let mass = 0;
    for (const i of order) {
      chosen.push(i);
      mass += probs.get(i)!;
      if (mass >= topP) break;
    }
    kept = chosen.sort((a, b) => a - b);
  }
  let total = 0;
  for (const i of kept) total += probs.get(i)!;
  const threshold = (next() / 4294967296) * total;
  let cumulative = 0;
  for (const i of kept) {
    cumulative += probs.get(i)!;
    if (cumulative > threshold) return i;
  }
  return kept[kept.length - 1]!;
}
