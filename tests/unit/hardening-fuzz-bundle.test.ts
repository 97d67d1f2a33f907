// Fuzzing in CI: 10k mutations of a project bundle exported from a small real library (zip byte
// mutations, and manifest field mutations re-zipped with the real blobs) through readBundle; every
// bundle it accepts is imported with importProjectBundle. Afterwards the library must check clean
// and open again: an accepted bundle never leaves rows that point at nothing.
import { describe, expect, it } from 'vitest';
import { checkLibrary, listProjects, openLibrary } from '../../electron/library';
import { fuzz, summarize } from '../support/fuzz';
import { bundleTarget } from '../support/fuzz-targets';

describe('fuzzing project bundle import', () => {
  it('10k mutated bundles: imported or refused with one clear line; the library stays consistent', async () => {
    const target = await bundleTarget();
    const report = await fuzz({ ...target, target: target.name, seed: 20260904, count: 10_000 });
    console.log(summarize(report));
    expect(report.findings).toEqual([]);
    expect(report.inputs).toBe(10_000);
    expect(report.accepted).toBeGreaterThan(100);
    expect(report.refused).toBeGreaterThan(5000);
    const check = checkLibrary(target.library);
    expect(check.problems).toEqual([]);
    expect(listProjects(target.library)).toHaveLength(report.accepted);
    const home = target.library.home;
    target.close?.();
    const again = openLibrary(home);
    expect(checkLibrary(again).ok).toBe(true);
    again.close();
  }, 120_000);
});
