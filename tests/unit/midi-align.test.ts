// Symbolic alignment (electron/midi/align) checked against human beat annotations.
//
// Data: ASAP — A dataset of Aligned Scores and Performances (Foscarin, McLeod, Rigaux, Jacquemard &
// Sakai, ISMIR 2020), CC BY-NC-SA 4.0, in ../shared/testdata/asap. Each `*_annotations.txt` lists beat
// times (first column, seconds in that MIDI file); the score and the performances of one work list the
// same beats in the same order, so mapping every score beat through the alignment must land on the
// performance's own annotation of that beat.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importMidi } from '../../electron/midi';
import { alignNotes, type Alignment } from '../../electron/midi/align';
import { MT19937 } from '../../electron/midi/mt19937';
import type { PerformedNote } from '../../electron/shared/performance';
import { testdata } from '../support/shared-data';

const notesOf = (name: string): PerformedNote[] =>
  importMidi(readFileSync(testdata(`asap/${name}.mid`)), name).performance.notes;
const beatsOf = (name: string): number[] =>
  readFileSync(testdata(`asap/${name}_annotations.txt`), 'utf8')
    .trim()
    .split('\n')
    .map((line) => Number(line.split('\t')[0]));

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/** Absolute errors of the reference's beats mapped into the performance against its own beats. */
function beatErrors(alignment: Alignment, refBeats: number[], perfBeats: number[]): number[] {
  expect(perfBeats.length).toBe(refBeats.length);
  return refBeats.map((b, k) => Math.abs(alignment.map.toPerf(b) - perfBeats[k]!));
}

function expectAccurate(errors: number[]): void {
  expect(quantile(errors, 0.5)).toBeLessThanOrEqual(0.05);
  expect(quantile(errors, 0.9)).toBeLessThanOrEqual(0.15);
}

const BACH = 'Bach_Fugue_bwv_848';
const CHOPIN = 'Chopin_Etudes_op_10_3';
const scorePerformancePairs = [
  [`${BACH}_midi_score`, `${BACH}_Denisova06M`],
  [`${BACH}_midi_score`, `${BACH}_Lee01M`],
  [`${BACH}_midi_score`, `${BACH}_Lou01M`],
  [`${CHOPIN}_midi_score`, `${CHOPIN}_SunMeiting08`],
] as const;

describe('score-to-performance alignment (ASAP beats)', () => {
  it.each(scorePerformancePairs)('%s → %s: beats within 50 ms (median) and 150 ms (90th percentile)', (ref, perf) => {
    const alignment = alignNotes(notesOf(ref), notesOf(perf));
    expect(alignment.stats.samePiece).toBe(true);
    expectAccurate(beatErrors(alignment, beatsOf(ref), beatsOf(perf)));
  });

  it('the map is monotone and maps back: performance beats → score beats', () => {
    const ref = `${CHOPIN}_midi_score`;
    const perf = `${CHOPIN}_SunMeiting08`;
    const alignment = alignNotes(notesOf(ref), notesOf(perf));
    const { anchors } = alignment;
    for (let k = 1; k < anchors.length; k++) {
      expect(anchors[k]!.ref).toBeGreaterThan(anchors[k - 1]!.ref);
      expect(anchors[k]!.perf).toBeGreaterThan(anchors[k - 1]!.perf);
    }
    const refBeats = beatsOf(ref);
    const errors = beatsOf(perf).map((b, k) => Math.abs(alignment.map.toRef(b) - refBeats[k]!));
    // score seconds here are slower than the performance's, so allow the same error in performance time
    expect(quantile(errors, 0.5)).toBeLessThanOrEqual(0.05);
  });
});

describe('performance-to-performance alignment', () => {
  it.each([
    [`${BACH}_Lee01M`, `${BACH}_Denisova06M`],
    [`${BACH}_Lou01M`, `${BACH}_Lee01M`],
    [`${BACH}_Denisova06M`, `${BACH}_Lou01M`],
  ])('%s → %s: beats land on the other pianist’s beats', (ref, perf) => {
    const alignment = alignNotes(notesOf(ref), notesOf(perf));
    expect(alignment.stats.samePiece).toBe(true);
    expectAccurate(beatErrors(alignment, beatsOf(ref), beatsOf(perf)));
  });
});

describe('robustness', () => {
  it('survives 10% missing, 10% wrong and 10% extra notes and an ornament-like flurry', () => {
    const ref = `${CHOPIN}_midi_score`;
    const perf = `${CHOPIN}_SunMeiting08`;
    const rng = new MT19937(20);
    const original = notesOf(perf);
    const spoiled: PerformedNote[] = [];
    for (const n of original) {
      const r = rng.nextDouble();
      if (r < 0.1) continue; // missing
      if (r < 0.2)
        spoiled.push({ ...n, pitch: n.pitch + (rng.nextDouble() < 0.5 ? 1 : -1) }); // wrong
      else spoiled.push(n);
      if (rng.nextDouble() < 0.1)
        spoiled.push({ ...n, pitch: 40 + Math.floor(rng.nextDouble() * 40), onset: n.onset + 0.03 });
    }
    // a trill-like run of alternating notes inserted at 60 s
    for (let k = 0; k < 24; k++)
      spoiled.push({ ...original[0]!, pitch: 70 + (k % 2), onset: 60 + k * 0.05, offset: 60 + k * 0.05 + 0.04 });
    spoiled.sort((a, b) => a.onset - b.onset || a.pitch - b.pitch);
    const alignment = alignNotes(notesOf(ref), spoiled);
    expect(alignment.stats.samePiece).toBe(true);
    expectAccurate(beatErrors(alignment, beatsOf(ref), beatsOf(perf)));
  });

  it('a section played twice in one performance: reported as a long unmatched stretch, the rest still aligned', () => {
    const name = `${BACH}_Lee01M`;
    const perf = notesOf(name);
    // the first 20 s played again before the rest (a repeat taken in one performance only)
    const repeated = perf.filter((n) => n.onset < 20);
    const shifted = [...repeated, ...perf.map((n) => ({ ...n, onset: n.onset + 20, offset: n.offset + 20 }))];
    const alignment = alignNotes(perf, shifted);
    expect(alignment.stats.longestPerfGap).toBeGreaterThan(15);
    expect(alignment.stats.longestPerfGap).toBeLessThan(25);
    expect(alignment.stats.samePiece).toBe(true);
    // which copy the first 20 s map to is a matter of choice; everything after must land right
    const later = beatsOf(name).filter((b) => b > 20);
    expectAccurate(
      beatErrors(
        alignment,
        later,
        later.map((b) => b + 20),
      ),
    );
  });
});

describe('repeats', () => {
  it('a performance that plays the whole fugue twice is still the fugue; the extra copy is reported', () => {
    const score = notesOf(`${BACH}_midi_score`);
    const name = `${BACH}_Lee01M`;
    const perf = notesOf(name);
    const length = Math.ceil(perf.at(-1)!.offset) + 2;
    const twice = [...perf, ...perf.map((n) => ({ ...n, onset: n.onset + length, offset: n.offset + length }))];
    const alignment = alignNotes(score, twice);
    expect(alignment.stats.perfMatchedRatio).toBeLessThan(0.55);
    expect(alignment.stats.samePiece).toBe(true);
    expect(alignment.stats.longestPerfGap).toBeGreaterThan(100); // one whole playing, 127 s
    // every score beat lands on that beat in one of the two playings
    const beats = beatsOf(name);
    const errors = beatsOf(`${BACH}_midi_score`).map((b, k) => {
      const t = alignment.map.toPerf(b);
      return Math.min(Math.abs(t - beats[k]!), Math.abs(t - beats[k]! - length));
    });
    expectAccurate(errors);
  });
});

describe('held-out music (not used while building the method)', () => {
  it.each([
    'Schubert_Wanderer_fantasie_Kolessova02',
    'Liszt_Transcendental_Etudes_4_Cai03',
    'Beethoven_Piano_Sonatas_14-3_Meek03',
  ])('%s against a re-timed, spoiled copy: the known warp is recovered', (name) => {
    const original = notesOf(name);
    const rng = new MT19937(848);
    // another "pianist": tempo swaying ±25 % over 30 s, every onset jittered by up to ±15 ms, 8 % of notes missed
    const warp = (t: number) => 1.05 * t + (30 / (2 * Math.PI)) * 0.25 * Math.sin((2 * Math.PI * t) / 30);
    const other = original
      .filter(() => rng.nextDouble() >= 0.08)
      .map((n) => ({ ...n, onset: warp(n.onset) + (rng.nextDouble() - 0.5) * 0.03 }));
    other.sort((a, b) => a.onset - b.onset || a.pitch - b.pitch);
    const alignment = alignNotes(original, other);
    expect(alignment.stats.samePiece).toBe(true);
    // every second of the reference, from its first to its last note
    const times: number[] = [];
    for (let t = Math.ceil(original[0]!.onset); t < original.at(-1)!.onset; t++) times.push(t);
    expectAccurate(times.map((t) => Math.abs(alignment.map.toPerf(t) - warp(t))));
  });
});

describe('not the same piece', () => {
  it.each([
    [`${BACH}_midi_score`, `${CHOPIN}_SunMeiting08`],
    [`${CHOPIN}_midi_score`, `${BACH}_Lee01M`],
    ['Beethoven_Piano_Sonatas_14-3_Meek03', 'Liszt_Transcendental_Etudes_4_Cai03'],
    ['Schubert_Wanderer_fantasie_Kolessova02', 'Beethoven_Piano_Sonatas_14-3_Meek03'],
  ])('%s vs %s is reported as different music', (ref, perf) => {
    const alignment = alignNotes(notesOf(ref), notesOf(perf));
    expect(alignment.stats.samePiece).toBe(false);
    expect(Math.min(alignment.stats.refMatchedRatio, alignment.stats.perfMatchedRatio)).toBeLessThan(0.3);
  });
});

describe('degenerate input', () => {
  const note = (pitch: number, onset: number) => ({ pitch, onset, velocity: 64, hand: 'right' as const });

  it('a single note or a single chord aligns without failing', () => {
    const one = alignNotes([note(60, 1)], [note(60, 3)]);
    expect(one.stats.matchedNotes).toBe(1);
    expect(one.map.toPerf(1)).toBe(3);
    const chord = [note(60, 0), note(64, 0), note(67, 0)];
    const chordAlignment = alignNotes(chord, chord);
    expect(chordAlignment.stats.samePiece).toBe(true);
    expect(chordAlignment.map.toPerf(0)).toBe(0);
  });

  it('nothing to align is bad input, and unrelated single notes are not the same piece', () => {
    expect(() => alignNotes([], [note(60, 0)])).toThrow('nothing to align');
    expect(alignNotes([note(60, 0)], [note(70, 0)]).stats.samePiece).toBe(false);
  });
});
