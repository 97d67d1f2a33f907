// Seeds, in one place. A render has one seed (given or random); each segment of a job draws from
// its own stream, derived here from the job's seed and the segment's index, so that a segment is
// reproducible on its own and two segments of one render never share a stream. The job derives it
// once, the take records it, the render cache keys on it, and the engine receives it.

/** A fresh random uint32 seed for callers that did not give one (recorded so the take can be reproduced). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}

/** The seed segment `index` generates with under a job seeded with `seed` (golden-ratio stride, mod 2³²). */
export const segmentSeed = (seed: number, index: number): number => (seed + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
