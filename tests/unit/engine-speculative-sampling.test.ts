// Speculative sampling's rules on small, fixed distributions: whatever the draft proposes, the kept or redrawn
// outcome must be distributed as the target's P (the property that makes speculative decoding exact), and
// the outcome distribution must follow the official stopping rule.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../electron/engine/sampling/prng';
import { drawWeighted } from '../../electron/engine/sampling/sampler';
import { acceptOrResample, outcomeDistribution } from '../../electron/engine/sampling/speculative-sampling';

const DRAWS = 200_000;

/** Frequencies of the outcome of `draws` propose (from Q) → accept-or-resample (against P) rounds. */
function outcomeFrequencies(P: number[], Q: number[], draws: number, seed: number): number[] {
  const rng = mulberry32(seed);
  const p = Float64Array.from(P);
  const q = Float64Array.from(Q);
  const counts = new Array<number>(P.length).fill(0);
  for (let i = 0; i < draws; i++) {
    const proposed = drawWeighted(q, rng);
    counts[acceptOrResample(p, q, proposed, rng).outcome]! += 1;
  }
  return counts.map((c) => c / draws);
}

describe('speculative sampling', () => {
  it.each([
    ['a draft close to the target', [0.5, 0.3, 0.15, 0.05], [0.45, 0.35, 0.1, 0.1]],
    ['a draft far from the target', [0.7, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.7]],
    ['a draft that never proposes one outcome', [0.25, 0.25, 0.25, 0.25], [0.5, 0.5, 0, 0]],
  ])('keeps the target distribution with %s', (_, P, Q) => {
    const freq = outcomeFrequencies(P, Q, DRAWS, 7);
    // 200k draws: a frequency's standard error is ≤ 0.0012; 0.005 is four of them.
    freq.forEach((f, i) => expect(Math.abs(f - P[i]!)).toBeLessThan(0.005));
  });

  it('a proposal from a perfect draft is always kept', () => {
    const P = Float64Array.from([0.2, 0.3, 0.5]);
    const rng = mulberry32(3);
    for (let i = 0; i < 1000; i++) expect(acceptOrResample(P, P, drawWeighted(P, rng), rng).accepted).toBe(true);
  });

  it('greedy: the proposal is kept exactly when it is the target argmax, else replaced by it', () => {
    const rng = mulberry32(1);
    const logitsP = [0.1, 2.0, 0.3, -1];
    const logitsQ = [0.1, 0.2, 3.0, -1];
    const greedy = { temperature: 1, greedy: true };
    const P = outcomeDistribution(logitsP, 0, 4, 3, greedy);
    const Q = outcomeDistribution(logitsQ, 0, 4, 3, greedy);
    expect(Array.from(P)).toEqual([0, 1, 0, 0]);
    expect(acceptOrResample(P, Q, 2, rng)).toEqual({ accepted: false, outcome: 1 });
    expect(acceptOrResample(P, P, 1, rng)).toEqual({ accepted: true, outcome: 1 });
  });

  it('an end-of-audio argmax ends the row whatever a draw would give (the official rule)', () => {
    const eos = 3;
    const D = outcomeDistribution([0.5, 0.4, 0.3, 0.6], 0, 4, eos, { temperature: 1 });
    expect(Array.from(D)).toEqual([0, 0, 0, 1]);
  });

  it('sampling: softmax with temperature and top-k, normalised, read at an offset', () => {
    const logits = [9, 9, 1, 2, 0, 3]; // a row of 4 at offset 2
    const D = outcomeDistribution(logits, 2, 4, 3, { temperature: 2, topK: 2 });
    expect(Array.from(D)).toEqual([0, 0, 0, 1]); // the row's argmax, id 3, is the end here: one-hot
    const e = [Math.exp(2 / 2), Math.exp(3 / 2)]; // top-2 keeps ids 1 (logit 2) and 3 (logit 3)
    const D2 = outcomeDistribution(logits, 2, 4, 9, { temperature: 2, topK: 2 });
    expect([D2[0], D2[2]]).toEqual([0, 0]);
    expect(D2[1]).toBeCloseTo(e[0]! / (e[0]! + e[1]!), 12);
    expect(D2[3]).toBeCloseTo(e[1]! / (e[0]! + e[1]!), 12);
    expect(D2.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
