// Fuzzing the installer's checkpoint reader (electron/engine/install): 10k mutations of the data.pkl of tiny random
// checkpoints in the official forms (icefall trainer dict, audiocraft export with its xp.cfg YAML) through the
// allow-listed unpickler, the unwrapping and the dims inference. Every input must be accepted or refused with a
// one-line StudioFailure; none may run anything (the unpickler has no way to) or hang.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readCheckpointPickle, type Checkpoint } from '../../electron/engine/install/checkpoint';
import { codecDims, valleDims } from '../../electron/engine/install/dims';
import { fuzz, mutateBytes, summarize } from '../support/fuzz';
import { projectDir } from '../support/shared-data';

const PYTHON = process.env.MIDI_VALLE_PYTHON ?? '/usr/bin/python3';

/** data.pkl of each checkpoint form, made by native-models/make_test_checkpoints.py (needs torch). */
function seeds(): Uint8Array[] | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'mv-fuzz-ckpt-'));
  try {
    const run = spawnSync(PYTHON, ['native-models/make_test_checkpoints.py', '--dims', 'tiny', '--out', dir], {
      cwd: projectDir,
      encoding: 'utf8',
    });
    if (run.status !== 0) return undefined;
    return ['valle-trainer.pt', 'valle-ddp.pt', 'codec-audiocraft.bin', 'codec-solver.bin'].map((f) => {
      const entries = unzipSync(readFileSync(join(dir, f)), { filter: (e) => e.name.endsWith('/data.pkl') });
      return Object.values(entries)[0]!;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pickles = seeds();
if (!pickles) {
  if (process.env.CI === 'true') throw new Error(`CI=true but ${PYTHON} cannot write test checkpoints (torch)`);
  console.warn(`${PYTHON} cannot write test checkpoints; checkpoint fuzzing skipped`);
}

describe.skipIf(!pickles)('fuzzing the checkpoint reader', () => {
  it('10k mutated data.pkl files: accepted or refused with one clear line', async () => {
    const report = await fuzz({
      target: 'checkpoint data.pkl (unpickle + unwrap + dims)',
      seed: 20261205,
      count: 10_000,
      make: (rng) => mutateBytes(pickles![Math.floor(rng() * pickles!.length)]!, rng),
      call: (bytes) => {
        const parsed = readCheckpointPickle(bytes, 'fuzz.pt');
        const ckpt = { ...parsed, what: 'fuzz.pt' } as Checkpoint;
        if (parsed.state.has('ar_text_embedding.weight')) valleDims(ckpt);
        else codecDims(ckpt);
      },
    });
    console.log(summarize(report));
    expect(report.findings).toEqual([]);
    expect(report.inputs).toBe(10_000);
    expect(report.accepted).toBeGreaterThan(100);
    expect(report.refused).toBeGreaterThan(1000);
  }, 300_000);
});
