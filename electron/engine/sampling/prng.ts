// mulberry32: the seeded PRNG named by docs/model-pack.md. The PyTorch reference mirrors it bit for bit
// so that sampled generations can be compared with parity fixtures; do not swap it for a "better" one.

export { mulberry32, type Prng } from '../../shared/mulberry32';

/** A fresh random uint32 seed for callers that did not give one (recorded so the take can be reproduced). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}
