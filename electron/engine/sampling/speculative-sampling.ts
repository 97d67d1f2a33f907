// Speculative sampling's rules (Leviathan et al. 2023, Chen et al. 2023): a frame proposed from the draft's
// distribution Q is kept with probability min(1, P/Q), else replaced by a draw from the residual
// max(0, P − Q), renormalised; every kept or drawn frame is then distributed exactly as P, the target model's.
// Distributions here are over the AR's outcomes — the 2,048 codes and the end of audio (id 2048) — and follow
// the official stopping rule: a row ends when the argmax is the end or the draw is (ar.ts decide()).
import { argmax, drawWeighted, filteredProbabilities, type SamplingOptions } from './sampler';
import type { Prng } from './prng';

/**
 * The outcome distribution of one logits row, normalised: one-hot on the argmax for greedy decoding or when
 * the argmax is the end (the official loop ends the row then, whatever it draws); otherwise the sampler's
 * filtered probabilities (temperature, top-k, top-p).
 */
export function outcomeDistribution(
  logits: ArrayLike<number>,
  offset: number,
  vocab: number,
  eosId: number,
  options: SamplingOptions,
): Float64Array {
  const top = argmax(logits, offset, vocab);
  if (options.greedy || top === eosId) {
    const oneHot = new Float64Array(vocab);
    oneHot[top] = 1;
    return oneHot;
  }
  const probs = filteredProbabilities(logits, options, offset, vocab);
  let total = 0;
  for (let i = 0; i < vocab; i++) total += probs[i]!;
  for (let i = 0; i < vocab; i++) probs[i]! /= total;
  return probs;
}

/** Keeps `proposed` (drawn from Q) with probability min(1, P/Q), else draws from max(0, P − Q). */
export function acceptOrResample(
  P: Float64Array,
  Q: Float64Array,
  proposed: number,
  rng: Prng,
): { accepted: boolean; outcome: number } {
  if (rng.uniform() * Q[proposed]! < P[proposed]!) return { accepted: true, outcome: proposed };
  const residual = new Float64Array(P.length);
  let total = 0;
  for (let i = 0; i < P.length; i++) total += residual[i] = Math.max(0, P[i]! - Q[i]!);
  // A rejection implies P ≠ Q, so the residual has mass; guard against rounding all the same.
  return { accepted: false, outcome: drawWeighted(total > 0 ? residual : P, rng) };
}
