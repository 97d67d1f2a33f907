// Fuzzing in CI: 10k mutated MIDI files (seeds: every real file in ../shared/testdata) through the
// parser, the tokenizer and the model-token builder. Every input must parse or be refused with a
// one-line StudioFailure, within 2 s. Seeded: a finding replays from the seed and its iteration.
import { describe, expect, it } from 'vitest';
import { fuzz, summarize } from '../support/fuzz';
import { midiTarget } from '../support/fuzz-targets';

describe('fuzzing the MIDI parser and tokenizer', () => {
  it('10k mutated MIDI files: parsed or refused with one clear line, never a crash or hang', async () => {
    const target = midiTarget();
    const report = await fuzz({ ...target, target: target.name, seed: 20260901, count: 10_000 });
    console.log(summarize(report));
    expect(report.findings).toEqual([]);
    expect(report.inputs).toBe(10_000);
    // the mutations reach both outcomes (a fuzzer that only hits the first header check proves little)
    expect(report.accepted).toBeGreaterThan(100);
    expect(report.refused).toBeGreaterThan(1000);
  }, 120_000);
});
