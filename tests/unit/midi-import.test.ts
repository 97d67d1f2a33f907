import { readFileSync } from 'node:fs';
import tonejs from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { StudioFailure } from '../../electron/shared/failure';
import { importMidi, parseMidi, segmentPerformance, tokenizeNotes } from '../../electron/midi';
import { assignHands } from '../../electron/midi/hands';
import { testdata } from '../support/shared-data';
import { allTestMidis, buildMidi, type FixtureNote } from './midi-fixtures';

const badInput = (bytes: Uint8Array, pattern: RegExp) => {
  try {
    parseMidi(bytes, 'x.mid');
  } catch (error) {
    expect(error).toBeInstanceOf(StudioFailure);
    expect((error as StudioFailure).code).toBe('bad-input');
    expect((error as StudioFailure).message).toMatch(pattern);
    expect((error as StudioFailure).message).not.toMatch(/\n/);
    return;
  }
  throw new Error('expected a bad-input failure');
};

describe('importing real performance MIDI', () => {
  it('reads prompt_A as the data notes describe it (53 notes, 0.425 s first onset, ends 2.977 s)', () => {
    const { performance, stats } = importMidi(readFileSync(testdata('midi-valle/prompt_A.midi')));
    expect(performance.notes.length).toBe(53);
    expect(performance.notes[0]!.onset).toBeCloseTo(0.425, 9);
    expect(performance.duration).toBeCloseTo(1310 / 440, 9);
    expect(stats.pedalCounts).toEqual({ sustain: 7, sostenuto: 0, soft: 43 });
    expect(stats.pitchRange).toEqual([40, 84]);
  });

  it('reads type 0 and type 1 files, notes sorted by onset then pitch', () => {
    const formats = new Set<number>();
    for (const path of allTestMidis()) {
      const { performance, stats } = importMidi(readFileSync(path));
      formats.add(stats.format);
      for (let i = 1; i < performance.notes.length; i++) {
        const [a, b] = [performance.notes[i - 1]!, performance.notes[i]!];
        expect(a.onset < b.onset || (a.onset === b.onset && a.pitch <= b.pitch)).toBe(true);
      }
      expect(
        performance.notes.every(
          (n) => n.pitch >= 21 && n.pitch <= 108 && n.offset > n.onset && n.offset - n.onset <= 6,
        ),
      ).toBe(true);
    }
    expect([...formats].sort()).toEqual([0, 1]);
  });

  it('applies the tempo map exactly as @tonejs/midi does (score with 19 tempo changes)', () => {
    const bytes = readFileSync(testdata('asap/Chopin_Etudes_op_10_3_midi_score.mid'));
    const { performance, stats } = importMidi(bytes);
    expect(stats.tempoChanges).toBe(19);
    const reference = new tonejs.Midi(bytes).tracks
      .flatMap((t) => t.notes)
      .filter((n) => n.durationTicks > 0)
      .map((n) => [n.midi, n.time] as const)
      .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    expect(performance.notes.length).toBe(reference.length);
    performance.notes.forEach((n, i) => {
      expect(n.pitch).toBe(reference[i]![0]);
      expect(n.onset).toBeCloseTo(reference[i]![1], 9);
    });
  });

  it('takes hands from the tracks of a two-track score, from a moving split otherwise', () => {
    const score = importMidi(readFileSync(testdata('asap/Bach_Fugue_bwv_848_midi_score.mid')));
    expect(score.stats.hands).toBe('tracks');
    const byTrack = new Map<number, Set<string>>();
    for (const n of score.performance.notes) byTrack.set(n.track, (byTrack.get(n.track) ?? new Set()).add(n.hand));
    expect([...byTrack.values()].every((hands) => hands.size === 1)).toBe(true);

    // one track: a left hand that climbs from the bass to just above middle C under a high melody
    const notes: FixtureNote[] = [];
    for (let i = 0; i < 80; i++) {
      const left = 36 + Math.floor(i / 3); // 36 … 62
      notes.push(
        { pitch: left, on: i * 240, off: i * 240 + 200 },
        { pitch: left + 14, on: i * 240, off: i * 240 + 200 },
      );
    }
    const { performance, stats } = importMidi(buildMidi([{ notes }]));
    expect(stats.hands).toBe('split');
    const wrong = performance.notes.filter((n) => {
      const i = Math.round(n.onset / 0.25);
      return (n.hand === 'left') !== (n.pitch === 36 + Math.floor(i / 3));
    });
    expect(wrong.length).toBeLessThanOrEqual(4); // 160 notes; a fixed split at 60 would miss 20+
  });
});

describe('the moving hand split against the staves of real scores', () => {
  it.each(['Bach_Fugue_bwv_848_midi_score.mid', 'Chopin_Etudes_op_10_3_midi_score.mid'])(
    '%s: agrees with the tracks better than a fixed split at middle C',
    (name) => {
      const { performance } = importMidi(readFileSync(testdata(`asap/${name}`)));
      const staves = performance.notes.map((n) => n.hand);
      const oneTrack = performance.notes.map((n) => ({ ...n, track: 0 }));
      expect(assignHands(oneTrack)).toBe('split');
      const agree = oneTrack.filter((n, i) => n.hand === staves[i]).length / oneTrack.length;
      const fixed =
        performance.notes.filter((n, i) => (n.pitch < 60 ? 'left' : 'right') === staves[i]).length / oneTrack.length;
      expect(agree).toBeGreaterThan(0.9); // measured 0.93 (Bach) and 0.95 (Chopin)
      expect(agree).toBeGreaterThan(fixed); // fixed: 0.90 and 0.79
    },
  );
});

describe('note pairing and cleanup', () => {
  it('pairs overlapping notes of one pitch first-in first-out', () => {
    const bytes = buildMidi([{ notes: [] }]);
    // hand-made track: on 60 @0, on 60 @240, off @480, off @960 (480 ticks per beat, 120 BPM → 1 tick = 1/960 s)
    const track = [
      0, 0x90, 60, 70, 0x81, 0x70, 0x90, 60, 80, 0x81, 0x70, 0x80, 60, 0, 0x83, 0x60, 0x80, 60, 0, 0, 0xff, 0x2f, 0,
    ];
    const head = bytes.subarray(0, bytes.length - 12); // drop the empty note track (8-byte header + 4 bytes)
    const file = new Uint8Array([...head, 0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, track.length, ...track]);
    const notes = parseMidi(file).notes;
    expect(notes.map((n) => [n.velocity, n.onset, n.offset])).toEqual([
      [70, 0, 0.5],
      [80, 0.25, 1],
    ]);
  });

  it('counts and drops out-of-range pitches, clamps notes over 6 s, ignores drums with a warning', () => {
    const { performance, stats } = importMidi(
      buildMidi([
        {
          notes: [
            { pitch: 10, on: 0, off: 100 },
            { pitch: 115, on: 0, off: 100 },
            { pitch: 60, on: 0, off: 960 * 10 }, // 10 s
            { pitch: 64, on: 960, off: 1920 },
            { pitch: 38, on: 0, off: 100, channel: 9 },
          ],
        },
      ]),
    );
    expect(stats.droppedOutOfRange).toBe(2);
    expect(stats.clampedLong).toBe(1);
    expect(stats.droppedDrums).toBe(1);
    expect(performance.notes.map((n) => [n.pitch, n.onset, n.offset])).toEqual([
      [60, 0, 6],
      [64, 1, 2],
    ]);
    expect(performance.warnings).toEqual([
      '1 drum note on channel 10 ignored',
      '2 notes outside the piano range 21–108 dropped',
      '1 note longer than 6 s shortened to 6 s',
    ]);
  });

  it('reads SMPTE time division (25 fps × 40 ticks = 1 ms a tick), where tempo events do not apply', () => {
    const bytes = buildMidi([{ notes: [{ pitch: 60, on: 250, off: 750 }] }], {
      ticksPerBeat: 0xe728,
      microsecondsPerBeat: 1_000_000,
    });
    const { performance, stats } = importMidi(bytes);
    expect(stats.ticksPerQuarter).toBe(0);
    expect(performance.notes.map((n) => [n.onset, n.offset])).toEqual([[0.25, 0.75]]);
  });

  it('reads sustain, sostenuto and soft pedal events with their times', () => {
    const { performance } = importMidi(
      buildMidi([
        {
          notes: [{ pitch: 60, on: 0, off: 960 }],
          ccs: [
            { tick: 480, controller: 64, value: 127 },
            { tick: 960, controller: 66, value: 100 },
            { tick: 1440, controller: 67, value: 90 },
            { tick: 1920, controller: 64, value: 0 },
            { tick: 1920, controller: 7, value: 100 }, // volume: not a pedal
          ],
        },
      ]),
    );
    expect(performance.pedals).toEqual([
      { kind: 'sustain', time: 0.5, value: 127 },
      { kind: 'sostenuto', time: 1, value: 100 },
      { kind: 'soft', time: 1.5, value: 90 },
      { kind: 'sustain', time: 2, value: 0 },
    ]);
    expect(performance.duration).toBe(2);
  });
});

describe('unusable files are one clear bad-input line', () => {
  const good = readFileSync(testdata('midi-valle/prompt_A.midi'));

  it('not a MIDI file', () => {
    badInput(new TextEncoder().encode('RIFF....WAVEfmt this is audio, not MIDI'), /not a MIDI file/);
    badInput(new Uint8Array(0), /not a MIDI file/);
  });

  it('a truncated chunk', () => {
    badInput(good.subarray(0, good.length - 10), /truncated/);
    badInput(good.subarray(0, 20), /truncated/);
  });

  it('a track that ends inside an event', () => {
    const bytes = buildMidi([{ notes: [{ pitch: 60, on: 0, off: 100 }] }]);
    // rewrite the last chunk's declared length so the chunk itself is complete but its last event is not
    const lastChunk = bytes.length - 22; // 8-byte header + 14-byte body: [0 90 3c 40] [64 80 3c 00] [00 ff 2f 00]
    const body = [0x00, 0x90, 0x3c, 0x40, 0x64, 0x80];
    const file = new Uint8Array([
      ...bytes.subarray(0, lastChunk),
      0x4d,
      0x54,
      0x72,
      0x6b,
      0,
      0,
      0,
      body.length,
      ...body,
    ]);
    badInput(file, /truncated/);
  });

  it('no notes, drums only, nothing in the piano range', () => {
    badInput(buildMidi([{ notes: [], ccs: [{ tick: 0, controller: 64, value: 127 }] }]), /no notes/);
    badInput(buildMidi([{ notes: [{ pitch: 38, on: 0, off: 100, channel: 9 }] }]), /only drum notes/);
    badInput(buildMidi([{ notes: [{ pitch: 110, on: 0, off: 100 }] }]), /piano range/);
  });
});

describe('a 100k-note file', () => {
  it('parses, segments and tokenizes (linear-time pairing; @tonejs/midi is quadratic here)', () => {
    const notes: FixtureNote[] = Array.from({ length: 100_000 }, (_, i) => ({
      pitch: 21 + ((i * 7) % 88),
      velocity: 1 + (i % 127),
      on: i * 30,
      off: i * 30 + 100 + (i % 5) * 300,
    }));
    const performance = parseMidi(buildMidi([{ notes }]));
    expect(performance.notes.length).toBe(100_000);
    const segments = segmentPerformance(performance);
    expect(segments.reduce((n, s) => n + s.noteIndices.length, 0)).toBe(100_000);
    expect(tokenizeNotes(performance.notes).rows).toBe(100_002);
  });
});
