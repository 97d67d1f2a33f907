// Token sampling exactly as docs/model-pack.md specifies (float64 throughout):
// logits / temperature → optional top-k (ties by lower id) → softmax → optional top-p → inverse-CDF draw.
import type { Prng } from './prng';

export interface SamplingOptions {
  /** > 0; 1 is the official default. */
  temperature: number;
  /** Keep the k most likely ids; 0 or undefined = off (official default). */
  topK?: number;
  /** Nucleus mass in (0, 1]; 1 or undefined = off (official default). */
  topP?: number;
  /** Greedy argmax instead of a draw (used by parity tests and the KV/full-recompute comparison). */
  greedy?: boolean;
}

export const OFFICIAL_SAMPLING: SamplingOptions = { temperature: 1 };

/** Index of the largest value; the lowest index wins ties (as torch.argmax on CPU). */
export function argmax(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < length; i++) {
    const v = values[offset + i]!;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/**
 * The probabilities after temperature, top-k, softmax and top-p, indexed by id: ids filtered out are 0,
 * kept ids hold their softmax probability (over the top-k survivors, not renormalised after top-p).
 * Exported for tests of the filtering semantics.
 */
export function filteredProbabilities(
  logits: ArrayLike<number>,
  options: SamplingOptions,
  offset = 0,
  length = logits.length - offset,
): Float64Array {
  const temperature = options.temperature;
  if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, got ${temperature}`);
  const scaled = new Float64Array(length);
  for (let i = 0; i < length; i++) scaled[i] = logits[offset + i]! / temperature;
  const topK = options.topK && options.topK > 0 ? Math.min(options.topK, length) : length;
  const topP = options.topP !== undefined && options.topP < 1 ? options.topP : 1;
  const probs = new Float64Array(length);
  if (topK === length && topP === 1) {
    // The official default path: plain softmax, no sort.
    let max = -Infinity;
    for (let i = 0; i < length; i++) if (scaled[i]! > max) max = scaled[i]!;
    let z = 0;
    for (let i = 0; i < length; i++) z += probs[i] = Math.exp(scaled[i]! - max);
    for (let i = 0; i < length; i++) probs[i]! /= z;
    return probs;
  }
  // Descending value, ties by lower id (stable and platform independent).
  const order = new Int32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  order.sort((a, b) => scaled[b]! - scaled[a]! || a - b);
  const kept = new Uint8Array(length);
  for (let r = 0; r < topK; r++) kept[order[r]!] = 1;
  // Softmax over the top-k survivors, summed in ascending id order like the reference.
  const max = scaled[order[0]!]!;
  let z = 0;
  for (let i = 0; i < length; i++) if (kept[i]) z += Math.exp(scaled[i]! - max);
  for (let i = 0; i < length; i++) if (kept[i]) probs[i] = Math.exp(scaled[i]! - max) / z;
  if (topP < 1) {
    // Smallest descending prefix whose mass reaches top-p; the rest is dropped (not renormalised).
    let mass = 0;
    let r = 0;
    while (r < topK) {
      mass += probs[order[r]!]!;
      r++;
      if (mass >= topP) break;
    }
    for (; r < topK; r++) probs[order[r]!] = 0;
  }
  return probs;
}

/**
 * An id drawn from `weights` (any positive total, zeros skipped): walks ids in ascending order and picks the
 * first whose cumulative weight exceeds u · total. The sampler's draw and speculative sampling's.
 */
export function drawWeighted(weights: ArrayLike<number>, rng: Prng): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  const target = rng.uniform() * total;
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] === 0) continue;
    cumulative += weights[i]!;
    last = i;
    if (cumulative > target) return i;
  }
  return last; // rounding: u·total can equal the final cumulative sum
}

/** One token id from a logits row; greedy ignores the PRNG (and does not advance it). */
export function sampleToken(
  logits: ArrayLike<number>,
  options: SamplingOptions,
  rng: Prng,
  offset = 0,
  length = logits.length - offset,
): number {
  if (options.greedy) return argmax(logits, offset, length);
  return drawWeighted(filteredProbabilities(logits, options, offset, length), rng);
}
