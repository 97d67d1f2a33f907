// The demo material, written as data so it is reproducible: the opening of J. S. Bach's Prelude in
// C major, BWV 846 (public domain), played with a little deterministic "human" timing and dynamics,
// and three short phrases of our own for the demo performers' prompts.
import type { PedalEvent, Performance, PerformedNote } from '../../shared/performance';
import { mulberry32 } from '../../shared/mulberry32';

/** Seeded uniform stream, so every regeneration writes identical files. */
export const seeded = (seed: number): (() => number) => mulberry32(seed).uniform;

function finish(notes: PerformedNote[], pedals: PedalEvent[], name: string): Performance {
  notes.sort((a, b) => a.onset - b.onset || a.pitch - b.pitch);
  pedals.sort((a, b) => a.time - b.time);
  const duration = Math.max(...notes.map((n) => n.offset), ...pedals.map((p) => p.time));
  return {
    notes,
    pedals,
    duration,
    tracks: [{ index: 0, name, noteCount: notes.length, channels: [0] }],
    warnings: [],
  };
}

const note = (pitch: number, onset: number, offset: number, velocity: number): PerformedNote => ({
  pitch,
  velocity: Math.max(1, Math.min(127, Math.round(velocity))),
  onset,
  offset,
  track: 0,
  channel: 0,
  hand: pitch < 60 ? 'left' : 'right',
});

/** BWV 846, bars 1–11: each bar one five-note chord, broken as 1 2 3 4 5 3 4 5 twice. */
const PRELUDE_CHORDS = [
  [60, 64, 67, 72, 76],
  [60, 62, 69, 74, 77],
  [59, 62, 67, 74, 77],
  [60, 64, 67, 72, 76],
  [60, 64, 69, 76, 81],
  [60, 62, 66, 69, 74],
  [59, 62, 67, 74, 79],
  [59, 60, 64, 67, 72],
  [57, 60, 64, 67, 72],
  [50, 57, 62, 66, 72],
  [55, 59, 62, 67, 71],
];

/** About 36 s: eleven bars at ♩ = 80 with a slight ritardando at the end and a pedal change every bar. */
export function demoPrelude(): Performance {
  const random = seeded(846);
  const notes: PerformedNote[] = [];
  const pedals: PedalEvent[] = [];
  let time = 0.2;
  PRELUDE_CHORDS.forEach((chord, bar) => {
    const barStart = time;
    const rit = bar >= PRELUDE_CHORDS.length - 2 ? 1 + 0.08 * (bar - (PRELUDE_CHORDS.length - 3)) : 1;
    const sixteenth = (60 / 80 / 4) * rit;
    const arch = 58 + 14 * Math.sin((Math.PI * (bar + 0.5)) / PRELUDE_CHORDS.length); // swell to the middle
    pedals.push(
      { kind: 'sustain', time: Math.max(0, barStart - 0.04), value: 0 },
      { kind: 'sustain', time: barStart + 0.06, value: 100 },
    );
    for (let half = 0; half < 2; half++) {
      const order = [0, 1, 2, 3, 4, 2, 3, 4];
      order.forEach((voice, k) => {
        const step = half * 8 + k;
        const onset = barStart + step * sixteenth + (random() - 0.5) * 0.012;
        const pitch = chord[voice]!;
        // The two lowest voices are held (as written: half notes tied over the figure).
        const held = voice === 0 ? (8 - k) * sixteenth : voice === 1 && k === 1 ? 7 * sixteenth : sixteenth * 0.9;
        const accent = k === 0 ? 8 : k === 5 ? 3 : 0;
        notes.push(note(pitch, onset, onset + held, arch + accent - 4 * (voice === 4 ? 0 : 1) + (random() - 0.5) * 6));
      });
    }
    time = barStart + 16 * sixteenth;
  });
  const last = time;
  for (const [i, pitch] of [48, 55, 64, 67, 72].entries())
    notes.push(note(pitch, last + i * 0.03, last + 2.4, 66 - i * 2));
  pedals.push(
    { kind: 'sustain', time: last - 0.04, value: 0 },
    { kind: 'sustain', time: last + 0.05, value: 100 },
    { kind: 'sustain', time: last + 2.6, value: 0 },
  );
  return finish(notes, pedals, 'BWV 846 (demo)');
}

export interface DemoPerformerSpec {
  id: string;
  name: string;
  room: 'dry' | 'room' | 'hall';
  description: string;
  phrase: () => Performance;
}

/** Even touch, little pedal: a scale-and-chord study. */
function evenPhrase(): Performance {
  const random = seeded(1);
  const notes: PerformedNote[] = [];
  [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65].forEach((p, i) => {
    const t = 0.05 + i * 0.22 + (random() - 0.5) * 0.006;
    notes.push(note(p, t, t + 0.2, 64 + (random() - 0.5) * 4));
    if (i % 4 === 0) notes.push(note(p - 12 - (i === 8 ? 5 : 0), t, t + 0.8, 56));
  });
  return finish(notes, [], 'demo prompt: even');
}

/** Lyrical: a singing line over broken chords, with rubato, swells and pedal. */
function lyricalPhrase(): Performance {
  const random = seeded(2);
  const notes: PerformedNote[] = [];
  const melody: Array<[number, number, number]> = [
    [76, 0.05, 0.7],
    [74, 0.78, 0.35],
    [72, 1.16, 0.4],
    [74, 1.6, 0.9],
    [79, 2.55, 0.6],
  ];
  for (const [p, t, d] of melody) notes.push(note(p, t, t + d, 70 + 12 * Math.sin(t) + (random() - 0.5) * 4));
  [48, 55, 64, 55, 47, 55, 62, 55, 45, 52, 60, 52].forEach((p, i) => {
    const t = 0.05 + i * 0.25 * (1 + 0.04 * Math.sin(i / 2)) + (random() - 0.5) * 0.01;
    notes.push(note(p, t, t + 0.24, 44 + (random() - 0.5) * 6));
  });
  const pedals: PedalEvent[] = [
    { kind: 'sustain', time: 0.1, value: 110 },
    { kind: 'sustain', time: 1.0, value: 0 },
    { kind: 'sustain', time: 1.08, value: 110 },
    { kind: 'sustain', time: 2.05, value: 0 },
    { kind: 'sustain', time: 2.12, value: 110 },
  ];
  return finish(notes, pedals, 'demo prompt: lyrical');
}

/** Bold: full chords and octaves, forte, with a bright attack. */
function boldPhrase(): Performance {
  const random = seeded(3);
  const notes: PerformedNote[] = [];
  const chords = [
    [48, 60, 64, 67, 72],
    [53, 60, 65, 69, 77],
    [55, 62, 67, 71, 79],
    [48, 60, 64, 67, 76],
  ];
  chords.forEach((chord, i) => {
    const t = 0.05 + i * 0.72;
    chord.forEach((p, k) =>
      notes.push(note(p, t + k * 0.004, t + 0.62, 96 + (k === 4 ? 8 : 0) + (random() - 0.5) * 6)),
    );
  });
  const pedals: PedalEvent[] = [0.1, 0.82, 1.54, 2.26].flatMap((t) => [
    { kind: 'sustain' as const, time: t - 0.06, value: 0 },
    { kind: 'sustain' as const, time: t, value: 120 },
  ]);
  return finish(notes, pedals, 'demo prompt: bold');
}

export const DEMO_PERFORMERS: DemoPerformerSpec[] = [
  {
    id: 'demo-studio-even',
    name: 'Demo: Studio, even touch',
    room: 'dry',
    description: 'Close-miked dry piano, even dynamics, little pedal.',
    phrase: evenPhrase,
  },
  {
    id: 'demo-room-lyrical',
    name: 'Demo: Small room, lyrical',
    room: 'room',
    description: 'Small-room ambience, singing line with rubato and pedal.',
    phrase: lyricalPhrase,
  },
  {
    id: 'demo-hall-bold',
    name: 'Demo: Concert hall, bold',
    room: 'hall',
    description: 'Hall reverb, forte chords with full pedal.',
    phrase: boldPhrase,
  },
];
