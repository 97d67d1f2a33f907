import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildModelTokens,
  decodeTokenNpy,
  detokenize,
  encodeTokenNpy,
  parseMidi,
  segmentNotes,
  segmentPerformance,
  tokenizeNotes,
  type TokenMatrix,
} from '../../electron/midi';
import { StudioFailure } from '../../electron/shared/failure';
import {
  PM_SECONDS_PER_TICK,
  pmWriteEvents,
  symusicOrder,
  symusicRead,
  allocTickNotes,
} from '../../electron/midi/official-io';
import { runCli } from '../support/cli';
import { testdata } from '../support/shared-data';
import { allTestMidis } from './midi-fixtures';

const out = mkdtempSync(join(tmpdir(), 'mv-midi-tok-'));
const read = (rel: string) => readFileSync(testdata(rel));
const row = (t: TokenMatrix, r: number) => Array.from(t.data.subarray(r * 6, r * 6 + 6));

describe('ExpressionTok tokens identical to the official files', () => {
  for (const name of ['prompt_A', 'prompt_B']) {
    it(`tokenize ${name}.midi --out gives ${name}.npy byte for byte`, () => {
      const target = join(out, `${name}.npy`);
      const run = runCli(['tokenize', testdata(`midi-valle/${name}.midi`), '--out', target]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(Buffer.compare(readFileSync(target), read(`midi-valle/${name}.npy`))).toBe(0);
    });
  }

  it('reads the official .npy back to the same matrix it writes', () => {
    const official = read('midi-valle/prompt_A.npy');
    const decoded = decodeTokenNpy(official);
    expect(decoded.rows).toBe(55);
    expect(row(decoded, 1)).toEqual([36, 20, 14, 388, 86, 4]); // worked example of midi-valle-data.md §1.7
    expect(Buffer.compare(Buffer.from(encodeTokenNpy(decoded)), official)).toBe(0);
  });

  it('frames with BOS and EOS rows and keeps chord order of the 220-tick file (§1.8)', () => {
    const tokens = tokenizeNotes(parseMidi(read('midi-valle/prompt_A.midi')).notes);
    expect(row(tokens, 0)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(row(tokens, tokens.rows - 1)).toEqual([2, 2, 2, 2, 2, 2]);
    const at274 = [];
    for (let r = 1; r < tokens.rows - 1; r++) if (row(tokens, r)[4] === 4 + 274) at274.push(row(tokens, r)[0]! + 17);
    expect(at274).toEqual([65, 72, 77, 53]); // as in the official file: 53 starts a 220-tick later
  });

  it('applies the value rules: odd velocities, duration clamp 1152, IOI saturation 383', () => {
    const tokens = tokenizeNotes([
      { pitch: 60, velocity: 50, onset: 0, offset: 10 }, // even velocity → 51, 10 s → 1152 ticks
      { pitch: 62, velocity: 127, onset: 5, offset: 5.003 }, // 5 s later: IOI saturates; 3 ms → 1 tick (rounds to 0, raised to 1)
    ]);
    expect(row(tokens, 1)).toEqual([43, 4 + 25, 1152 + 3, 388, 4, 4]);
    expect(row(tokens, 2)).toEqual([45, 67, 4, 388 + 383, 4 + (960 % 384), 4 + 2]);
  });
});

describe('symusic note order', () => {
  it('is the stable sort by (start, pitch, duration) of the notes as read, on tie-heavy random input', () => {
    let seed = 7;
    const random = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    for (let round = 0; round < 20; round++) {
      const input = allocTickNotes(400);
      for (let i = 0; i < 400; i++) {
        const start = random(40) * 5;
        input.pitch[i] = 60 + random(4);
        input.velocity[i] = 1 + random(3);
        input.start[i] = start;
        input.end[i] = start + 1 + random(30);
        input.count++;
      }
      const read = symusicRead(pmWriteEvents(input));
      const fast = Array.from(symusicOrder(read));
      const indices = Array.from({ length: read.count }, (_, i) => i);
      const dur = (i: number) => read.end[i]! - read.start[i]!;
      const reference = indices.sort(
        (a, b) => read.start[a]! - read.start[b]! || read.pitch[a]! - read.pitch[b]! || dur(a) - dur(b) || a - b,
      );
      expect(fast).toEqual(reference);
      expect(Array.from(symusicOrder({ ...read, onEvent: undefined }))).toEqual(reference); // the general path
    }
  });
});

describe('tokenize → detokenize', () => {
  // Notes shorter than one 220-tick (2.3 ms) meet the official writer/reader quirk (§1.8): they may
  // swallow the next same-pitch note-off, and one note of such a chain can vanish. Everything else must
  // come back with its pitch and an onset within 1/192 s.
  it.each(allTestMidis().map((p) => [p.split('/').pop()!, p]))('round-trips every segment of %s', (_name, path) => {
    const performance = parseMidi(readFileSync(path));
    for (const segment of segmentPerformance(performance, 'musical')) {
      const notes = segmentNotes(performance, segment);
      const back = detokenize(tokenizeNotes(notes));
      const subTick = notes.filter(
        (n) => Math.round(n.onset / PM_SECONDS_PER_TICK) === Math.round(n.offset / PM_SECONDS_PER_TICK),
      ).length;
      const open = new Map<number, number[]>();
      for (const n of notes) open.set(n.pitch, [...(open.get(n.pitch) ?? []), n.onset]);
      let matched = 0;
      for (const b of back) {
        const candidates = open.get(b.pitch) ?? [];
        const k = candidates.findIndex((t) => Math.abs(t - b.onset) <= 1 / 192 + 1e-9);
        expect(k, `pitch ${b.pitch} at ${b.onset} s in segment ${segment.index}`).toBeGreaterThanOrEqual(0);
        candidates.splice(k, 1);
        matched++;
      }
      expect(notes.length - matched).toBeLessThanOrEqual(subTick);
    }
  });
});

describe('prompt + target as the official inference concatenates them', () => {
  const promptA = parseMidi(read('midi-valle/prompt_A.midi'));
  const promptB = parseMidi(read('midi-valle/prompt_B.midi'));
  const official = decodeTokenNpy(read('midi-valle/prompt_A.npy'));
  const sample = parseMidi(read('midi-valle/sample_A.mid'));
  const segments = segmentPerformance(sample, 'musical');

  it('keeps the prompt rows of the official prompt .npy and appends the target after the prompt end', () => {
    const target = segmentNotes(sample, segments[1]!);
    const tokens = buildModelTokens(promptA, target);
    expect(tokens.rows).toBe(official.rows + target.length);
    expect(Array.from(tokens.data.subarray(0, (official.rows - 1) * 6))).toEqual(
      Array.from(official.data.subarray(0, (official.rows - 1) * 6)),
    );
    // prompt_A ends at tick 1310 (220 tpq): target time t lands at tick 1310 + round(t·440)
    const first = target[0]!;
    const tick96 = Math.round(((1310 + Math.round(first.onset * 440)) * 96) / 220);
    expect(row(tokens, official.rows - 1).slice(4)).toEqual([4 + (tick96 % 384), 4 + Math.floor(tick96 / 384)]);
    expect(row(tokens, tokens.rows - 1)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('can align the target with the end of the 3 s prompt audio instead (prompt_B ends 89 ms early)', () => {
    expect(promptB.duration).toBeCloseTo(1281 / 440, 9);
    const target = [{ pitch: 60, velocity: 64, onset: 0, offset: 0.5 }];
    const byMidi = detokenize(buildModelTokens(promptB, target)).at(-1)!;
    const byAudio = detokenize(buildModelTokens(promptB, target, { targetOffset: 3 })).at(-1)!;
    expect(byMidi.onset).toBeCloseTo(Math.round((1281 * 96) / 220) / 192, 9);
    expect(byAudio.onset).toBeCloseTo(3, 9);
  });

  it('every musical segment fits the model after a 3 s prompt', () => {
    for (const path of allTestMidis()) {
      const performance = parseMidi(readFileSync(path));
      for (const segment of segmentPerformance(performance)) {
        const tokens = buildModelTokens(promptA, segmentNotes(performance, segment));
        let maxBarId = 0;
        for (let r = 1; r < tokens.rows - 1; r++) maxBarId = Math.max(maxBarId, tokens.data[r * 6 + 5]!);
        expect(maxBarId).toBeLessThanOrEqual(19);
      }
    }
  });

  it('refuses a sequence whose onsets reach 32 s with a clear failure, not an out-of-range Bar id', () => {
    const target = [{ pitch: 60, velocity: 64, onset: 29.1, offset: 29.5 }];
    expect(() => buildModelTokens(promptA, target)).toThrowError(StudioFailure);
    expect(() => buildModelTokens(promptA, target)).toThrowError(/32 s/);
    expect(() => buildModelTokens(promptA, [{ ...target[0]!, onset: 28.9 }])).not.toThrow();
  });
});
