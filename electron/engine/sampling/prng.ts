// mulberry32: the seeded PRNG named by docs/model-pack.md. The PyTorch reference mirrors it bit for bit
// so that sampled generations can be compared with parity fixtures; do not swap it for a "better" one.

export { mulberry32, type Prng } from '../../shared/mulberry32';

export { randomSeed } from '../../shared/seeds';
