// mulberry32: the seeded PRNG named by docs/model-pack.md. The PyTorch reference mirrors it bit for bit
// so that sampled generations can be compared with parity fixtures; do not swap it for a "better" one.

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

/** A fresh random uint32 seed for callers that did not give one (recorded so the take can be reproduced). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}
