// What every bench area reports, and the one way they time a piece of work.

export type Metric = { name: string; value: number; unit: string; note?: string };

/** Median of `runs` timings in milliseconds, after one warm-up call. */
export function medianMs(runs: number, work: () => void): number {
  work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}
