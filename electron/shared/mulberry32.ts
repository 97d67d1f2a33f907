// mulberry32: the one seeded PRNG of the studio. The engine samples with it (docs/model-pack.md names it,
// and the PyTorch reference mirrors it bit for bit); demo data, generated test data and fuzzers use it
// for reproducible streams.

export interface Prng {
  /** Next raw uint32. */
  nextUint32(): number;
  /** Uniform in [0, 1): nextUint32() / 2^32. */
  uniform(): number;
}

export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return { nextUint32, uniform: () => nextUint32() / 4294967296 };
}
