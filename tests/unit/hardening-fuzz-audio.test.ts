// Fuzzing in CI: 10k mutated WAV and FLAC files (seeds: files made by encodeAudio and the real
// prompt_A.wav) through decodeAudio. Every input must decode or be refused with a
// one-line StudioFailure, within 2 s. Seeded: a finding replays from the seed and its iteration.
import { describe, expect, it } from 'vitest';
import { fuzz, summarize } from '../support/fuzz';
import { audioTarget } from '../support/fuzz-targets';

describe('fuzzing the WAV and FLAC readers', () => {
  it('10k mutated WAV and FLAC files: decoded or refused with one clear line, never a crash or hang', async () => {
    const target = await audioTarget();
    const report = await fuzz({ ...target, target: target.name, seed: 20260902, count: 10_000 });
    console.log(summarize(report));
    expect(report.findings).toEqual([]);
    expect(report.inputs).toBe(10_000);
    // the mutations reach both outcomes (a fuzzer that only hits the first header check proves little)
    expect(report.accepted).toBeGreaterThan(100);
    expect(report.refused).toBeGreaterThan(1000);
  }, 120_000);
});
