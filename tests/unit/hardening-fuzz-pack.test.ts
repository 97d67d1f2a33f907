// Fuzzing in CI: 10k mutations of the tiny pack's pack.json (JSON field mutations: wrong types,
// odd numbers, removed and added keys, path-like strings; and raw text mutations) through
// parsePackManifest. Every input must be accepted or refused with a one-line StudioFailure.
import { describe, expect, it } from 'vitest';
import { fuzz, summarize } from '../support/fuzz';
import { packTarget } from '../support/fuzz-targets';

describe('fuzzing pack.json validation', () => {
  it('10k mutated pack.json files: accepted or refused with one clear line', async () => {
    const target = packTarget();
    const report = await fuzz({ ...target, target: target.name, seed: 20260903, count: 10_000 });
    console.log(summarize(report));
    expect(report.findings).toEqual([]);
    expect(report.inputs).toBe(10_000);
    expect(report.accepted).toBeGreaterThan(50);
    expect(report.refused).toBeGreaterThan(5000);
  }, 120_000);
});
