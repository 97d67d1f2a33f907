// The sampler is the half of generation that lives in JS: its PRNG stream and filtering rules must match
// the PyTorch reference (native-models/midivalle/sampling.py) exactly, or sampled parity fixtures diverge.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../electron/engine/sampling/prng';
import { argmax, filteredProbabilities, sampleToken } from '../../electron/engine/sampling/sampler';

// Values produced by the reference's Mulberry32 (Python, integer arithmetic) for the same seeds.
const REFERENCE_STREAMS: Record<number, number[]> = {
  0: [1144304738, 1416247, 958946056, 627933444, 2007157716],
  42: [2581720956, 1925393290, 3661312704, 2876485805, 750819978],
  4294967295: [3850105811, 813802916, 3073704848, 4054706436, 3630262831],
};

// sample_id(logits, Mulberry32(7), **options) twenty times, from the reference.
const LOGITS = [0.5, 2.0, 2.0, -1.0, 1.0, 3.0];
const REFERENCE_DRAWS: Array<[{ temperature: number; topK?: number; topP?: number }, number[]]> = [
  [{ temperature: 1 }, [0, 1, 5, 5, 5, 2, 4, 2, 5, 5, 2, 1, 5, 5, 1, 2, 2, 5, 2, 5]],
  [{ temperature: 1, topK: 2 }, [1, 1, 5, 5, 5, 5, 5, 1, 5, 5, 1, 1, 5, 5, 1, 5, 5, 5, 5, 5]],
  [{ temperature: 1, topK: 3 }, [1, 1, 5, 5, 5, 2, 5, 2, 5, 5, 2, 1, 5, 5, 1, 2, 2, 5, 2, 5]],
  [{ temperature: 1, topP: 0.5 }, new Array(20).fill(5)],
  [{ temperature: 1, topP: 0.9 }, [1, 1, 5, 5, 5, 4, 5, 2, 5, 5, 2, 1, 5, 5, 2, 2, 2, 5, 2, 5]],
  [{ temperature: 0.5, topK: 4, topP: 0.8 }, [1, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]],
];

describe('mulberry32', () => {
  it('produces the reference uint32 stream for several seeds', () => {
    for (const [seed, expected] of Object.entries(REFERENCE_STREAMS)) {
      const rng = mulberry32(Number(seed));
      expect(expected.map(() => rng.nextUint32())).toEqual(expected);
    }
  });

  it('uniform() is next / 2^32, in [0, 1)', () => {
    const a = mulberry32(42);
    expect(a.uniform()).toBe(2581720956 / 4294967296);
    for (let i = 0; i < 1000; i++) {
      const u = a.uniform();
      expect(u >= 0 && u < 1).toBe(true);
    }
  });
});

describe('sampleToken', () => {
  it('matches the reference draws for temperature, top-k and top-p combinations', () => {
    for (const [options, expected] of REFERENCE_DRAWS) {
      const rng = mulberry32(7);
      const draws = expected.map(() => sampleToken(LOGITS, options, rng));
      expect(draws, JSON.stringify(options)).toEqual(expected);
    }
  });

  it('greedy takes the argmax (lowest id on ties) and leaves the PRNG untouched', () => {
    const rng = mulberry32(1);
    expect(sampleToken([1, 3, 3, 2], { temperature: 1, greedy: true }, rng)).toBe(1);
    expect(rng.nextUint32()).toBe(mulberry32(1).nextUint32());
  });

  it('reads a row of a batched logits buffer through offset/length', () => {
    const batched = [9, 0, 0, /* row 1 */ 0, 0, 9];
    expect(argmax(batched, 3, 3)).toBe(2);
    expect(sampleToken(batched, { temperature: 1, greedy: true }, mulberry32(0), 3, 3)).toBe(2);
  });
});

describe('filteredProbabilities', () => {
  it('top-k keeps the k largest, ties broken toward the lower id', () => {
    const probs = filteredProbabilities([1, 5, 5, 5, 0], { temperature: 1, topK: 2 });
    expect(Array.from(probs).map((p) => p > 0)).toEqual([false, true, true, false, false]);
    expect(probs[1]).toBeCloseTo(0.5, 12);
  });

  it('top-p keeps the smallest descending prefix reaching p, without renormalising', () => {
    // softmax of ln([0.5, 0.3, 0.2]) = [0.5, 0.3, 0.2]
    const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
    const p80 = filteredProbabilities(logits, { temperature: 1, topP: 0.75 });
    expect(Array.from(p80).map((p) => Number(p.toFixed(12)))).toEqual([0.5, 0.3, 0]);
    const p50 = filteredProbabilities(logits, { temperature: 1, topP: 0.5 });
    expect(Array.from(p50).map((p) => Number(p.toFixed(12)))).toEqual([0.5, 0, 0]);
  });

  it('temperature sharpens (below 1) and flattens (above 1)', () => {
    const logits = [0, 1];
    const cold = filteredProbabilities(logits, { temperature: 0.25 });
    const hot = filteredProbabilities(logits, { temperature: 4 });
    expect(cold[1]!).toBeGreaterThan(0.98);
    expect(hot[1]!).toBeLessThan(0.6);
    expect(() => filteredProbabilities(logits, { temperature: 0 })).toThrow(/temperature/);
  });
});
