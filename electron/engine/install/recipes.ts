// The weight transforms of the ONNX export, one per recipe op recorded in a graph template
// (native-models/midivalle/template.py). Everything but the weight-norm fold moves values without arithmetic; the
// fold follows torch's float32 operation order; int8 is precision.py's _quantize_columns with the same rounding.
import type { Checkpoint } from './checkpoint';

export type Recipe =
  | { op: 'copy'; model: ModelName; key: string }
  | { op: 'transpose'; model: ModelName; key: string }
  | { op: 'rows'; model: ModelName; key: string; start: number; end: number; transpose?: boolean }
  | { op: 'concat'; model: ModelName; keys: string[] }
  | { op: 'weightNorm'; model: ModelName; prefix: string }
  | { op: 'polyphase'; model: ModelName; prefix: string; stride: number }
  | { op: 'repeat'; model: ModelName; key: string; times: number }
  | { op: 'lstm'; model: ModelName; prefix: string; layer: number; part: 'W' | 'R' | 'B' }
  | { op: 'int8'; part: 'q' | 'scale'; of: Recipe };

export type ModelName = 'valle' | 'codec';
export type Sources = Record<ModelName, Checkpoint>;
export interface Tensor {
  data: Float32Array | Int8Array;
  shape: number[];
}

/** The 7-bit symmetric levels of precision.py (WEIGHT_LEVELS). */
const WEIGHT_LEVELS = 63;

async function load(sources: Sources, model: ModelName, key: string): Promise<{ data: Float32Array; shape: number[] }> {
  const ckpt = sources[model];
  const ref = ckpt.state.get(key);
  if (!ref) throw new Error(`${ckpt.what}: key ${key} is missing`);
  return { data: await ckpt.read(ref), shape: ref.shape };
}

function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/** PyTorch LSTM gate blocks i,f,g,o -> ONNX i,o,f,c (what torch.onnx's LSTM export does). */
function reorderGates(data: Float32Array): Float32Array {
  const block = data.length / 4;
  const out = new Float32Array(data.length);
  [0, 3, 1, 2].forEach((from, to) => out.set(data.subarray(from * block, (from + 1) * block), to * block));
  return out;
}

const fround = Math.fround;

/**
 * Sum of squares in torch's order (aten WeightNormKernel, map_reduce_all on 8-lane AVX2 float vectors): 8 lane
 * accumulators updated with a fused multiply-add, a plain add for the tail, then a pairwise fold (lanes i and i+4,
 * then 0+2 and 1+3, then the two); rows shorter than a vector are summed in order. Matching the order (rather than
 * summing in float64) makes the folded weights bit-identical to convert.py's on AVX2 machines.
 */
function sumSquares(v: Float32Array, from: number, n: number): number {
  const lanes = 8;
  if (n < lanes) {
    let s = fround(v[from]! * v[from]!);
    for (let i = 1; i < n; i++) s = fround(s + fround(v[from + i]! * v[from + i]!));
    return s;
  }
  const acc = new Float64Array(lanes);
  for (let l = 0; l < lanes; l++) acc[l] = fround(v[from + l]! * v[from + l]!);
  let d = lanes;
  for (const full = n - (n % lanes); d < full; d += lanes) {
    // x*x of two float32 is exact in float64, so one rounding: a fused multiply-add.
    for (let l = 0; l < lanes; l++) acc[l] = fround(acc[l]! + v[from + d + l]! * v[from + d + l]!);
  }
  for (let l = 0; l < n - d; l++) acc[l] = fround(acc[l]! + fround(v[from + d + l]! * v[from + d + l]!));
  const s = [0, 1, 2, 3].map((i) => fround(acc[i]! + acc[i + 4]!));
  return fround(fround(s[0]! + s[2]!) + fround(s[1]! + s[3]!));
}

/** torch's weight norm with dim=0: w = v * (g / ||v||), the norm over every dim but the first, in float32. */
function weightNorm(g: Float32Array, v: Float32Array, rows: number): Float32Array {
  const per = v.length / rows;
  const out = new Float32Array(v.length);
  for (let r = 0; r < rows; r++) {
    const ratio = fround(g[r]! / fround(Math.sqrt(sumSquares(v, r * per, per))));
    for (let i = r * per; i < (r + 1) * per; i++) out[i] = fround(v[i]! * ratio);
  }
  return out;
}

/**
 * codec_export.py PolyphaseConvTranspose1d: the folded ConvTranspose1d weight [C_in, C_out, 2s] as the Conv1d
 * weight [C_out*s, C_in, 2] whose channel o*s + p has tap 0 = W[c, o, p+s] and tap 1 = W[c, o, p] (values moved only).
 */
function polyphaseWeight(w: Float32Array, shape: number[], stride: number): { data: Float32Array; shape: number[] } {
  const [cin, cout, kernel] = shape as [number, number, number];
  if (kernel !== 2 * stride) throw new Error(`polyphase recipe: kernel ${kernel} is not twice the stride ${stride}`);
  const out = new Float32Array(w.length);
  for (let o = 0; o < cout; o++) {
    for (let p = 0; p < stride; p++) {
      const row = (o * stride + p) * cin * 2;
      for (let c = 0; c < cin; c++) {
        const at = (c * cout + o) * kernel;
        out[row + c * 2] = w[at + p + stride]!;
        out[row + c * 2 + 1] = w[at + p]!;
      }
    }
  }
  return { data: out, shape: [cout * stride, cin, 2] };
}

/** numpy's rint: round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** precision.py _quantize_columns: W[k,n] ~ q[k,n] * scale[n], per-column peak / 63. */
export function quantizeColumns(w: Float32Array, rows: number, cols: number): { q: Int8Array; scale: Float32Array } {
  const scale = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    let peak = 0;
    for (let r = 0; r < rows; r++) peak = Math.max(peak, Math.abs(w[r * cols + c]!));
    scale[c] = peak > 0 ? fround(fround(peak) / WEIGHT_LEVELS) : 1;
  }
  const q = new Int8Array(w.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = rint(fround(w[r * cols + c]! / scale[c]!));
      q[r * cols + c] = Math.max(-WEIGHT_LEVELS, Math.min(WEIGHT_LEVELS, v));
    }
  }
  return { q, scale };
}

/** A weight-normed layer's plain weight, g·v/‖v‖ (the 'weightNorm' recipe, and the input of 'polyphase'). */
async function foldedWeight(
  sources: Sources,
  model: ModelName,
  prefix: string,
): Promise<{ data: Float32Array; shape: number[] }> {
  const g = await load(sources, model, `${prefix}.weight_g`);
  const v = await load(sources, model, `${prefix}.weight_v`);
  return { data: weightNorm(g.data, v.data, v.shape[0]!), shape: v.shape };
}

const lastQuantized = new WeakMap<Sources, { key: string; shape: number[]; q: Int8Array; scale: Float32Array }>();

/** The initializer `recipe` describes, computed from the checkpoints. */
export async function runRecipe(recipe: Recipe, sources: Sources): Promise<Tensor> {
  switch (recipe.op) {
    case 'copy':
      return load(sources, recipe.model, recipe.key);
    case 'transpose': {
      const t = await load(sources, recipe.model, recipe.key);
      const [r, c] = t.shape as [number, number];
      return { data: transpose2d(t.data, r, c), shape: [c, r] };
    }
    case 'rows': {
      const t = await load(sources, recipe.model, recipe.key);
      const per = t.shape.slice(1).reduce((a, b) => a * b, 1);
      const data = t.data.slice(recipe.start * per, recipe.end * per);
      const shape = [recipe.end - recipe.start, ...t.shape.slice(1)];
      if (!recipe.transpose) return { data, shape };
      return { data: transpose2d(data, shape[0]!, shape[1]!), shape: [shape[1]!, shape[0]!] };
    }
    case 'concat': {
      const parts = await Promise.all(recipe.keys.map((k) => load(sources, recipe.model, k)));
      const data = new Float32Array(parts.reduce((n, p) => n + p.data.length, 0));
      let at = 0;
      for (const p of parts) data.set(p.data, (at += p.data.length) - p.data.length);
      return { data, shape: [parts.reduce((n, p) => n + p.shape[0]!, 0), ...parts[0]!.shape.slice(1)] };
    }
    case 'weightNorm':
      return foldedWeight(sources, recipe.model, recipe.prefix);
    case 'polyphase': {
      const folded = await foldedWeight(sources, recipe.model, recipe.prefix);
      return polyphaseWeight(folded.data, folded.shape, recipe.stride);
    }
    case 'repeat': {
      // torch's repeat_interleave: each value `times` times in a row (the polyphase conv's bias, one per phase).
      const t = await load(sources, recipe.model, recipe.key);
      const data = new Float32Array(t.data.length * recipe.times);
      t.data.forEach((x, i) => data.fill(x, i * recipe.times, (i + 1) * recipe.times));
      return { data, shape: [data.length] };
    }
    case 'lstm': {
      const at = (name: string) => load(sources, recipe.model, `${recipe.prefix}.${name}_l${recipe.layer}`);
      if (recipe.part === 'B') {
        const [bi, bh] = [await at('bias_ih'), await at('bias_hh')];
        const data = new Float32Array(bi.data.length * 2);
        data.set(reorderGates(bi.data));
        data.set(reorderGates(bh.data), bi.data.length);
        return { data, shape: [1, data.length] };
      }
      const t = await at(recipe.part === 'W' ? 'weight_ih' : 'weight_hh');
      return { data: reorderGates(t.data), shape: [1, ...t.shape] };
    }
    case 'int8': {
      // A graph asks for the weights and then the scales of one MatMul: quantise once for both.
      const key = JSON.stringify(recipe.of);
      let hit = lastQuantized.get(sources);
      if (hit?.key !== key) {
        const w = await runRecipe(recipe.of, sources);
        const [rows, cols] = w.shape as [number, number];
        hit = { key, shape: w.shape, ...quantizeColumns(w.data as Float32Array, rows, cols) };
        lastQuantized.set(sources, hit);
      }
      return recipe.part === 'q' ? { data: hit.q, shape: hit.shape } : { data: hit.scale, shape: [hit.scale.length] };
    }
  }
}
