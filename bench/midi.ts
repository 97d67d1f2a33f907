// MIDI pipeline speed: tokenizer throughput and import time of a 100k-note file.
// Run through `npm run bench` (all bench/*.ts), or alone: npx tsx bench/midi.ts
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { encodeTokenNpy, parseMidi, segmentPerformance, tokenizeNotes } from '../electron/midi';
import type { PerformedNote } from '../electron/shared/performance';
import { testdata } from '../tests/support/shared-data';
import { buildMidi } from '../tests/unit/midi-fixtures';
import { medianMs, type Metric } from './support/timing';

export async function run(): Promise<Metric[]> {
  // A long real performance, repeated 4× back to back (≈ 64k notes, 85 min; the tokenizer's own limit is 100 min).
  const schubert = parseMidi(readFileSync(testdata('asap/Schubert_Wanderer_fantasie_Kolessova02.mid')));
  const notes: PerformedNote[] = [];
  for (let r = 0; r < 4; r++) {
    const shift = r * Math.ceil(schubert.duration);
    for (const n of schubert.notes) notes.push({ ...n, onset: n.onset + shift, offset: n.offset + shift });
  }
  const tokenizeMs = medianMs(7, () => tokenizeNotes(notes));
  const tokens = tokenizeNotes(notes);
  const npyMs = medianMs(7, () => encodeTokenNpy(tokens));

  const big = buildMidi([
    {
      notes: Array.from({ length: 100_000 }, (_, i) => ({
        pitch: 21 + ((i * 7) % 88),
        velocity: 1 + (i % 127),
        on: i * 30,
        off: i * 30 + 100 + (i % 5) * 300,
      })),
      ccs: Array.from({ length: 20_000 }, (_, i) => ({ tick: i * 150, controller: 64, value: i % 2 ? 0 : 127 })),
    },
  ]);
  const parseMs = medianMs(5, () => parseMidi(big));
  const parsed = parseMidi(big);
  const segmentMs = medianMs(5, () => segmentPerformance(parsed));

  const load = `load average ${loadavg()[0]!.toFixed(1)}`;
  return [
    {
      name: 'midi tokenizer throughput',
      value: Math.round(notes.length / (tokenizeMs / 1000)),
      unit: 'notes/s',
      note: `${notes.length} notes (Schubert ×4), median of 7; target ≥ 1,000,000; ${load}`,
    },
    {
      name: 'midi parse 100k-note file',
      value: Math.round(parseMs),
      unit: 'ms',
      note: `${(big.length / 1e6).toFixed(2)} MB, 100k notes + 20k pedal events, median of 5; ${load}`,
    },
    {
      name: 'midi musical segmentation 100k notes',
      value: Math.round(segmentMs),
      unit: 'ms',
      note: `${segmentPerformance(parsed).length} segments`,
    },
    {
      name: 'midi .npy encode',
      value: Math.round(tokens.rows / (npyMs / 1000)),
      unit: 'rows/s',
      note: `${tokens.rows} rows`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const m of await run()) console.log(`${m.name}: ${m.value} ${m.unit}${m.note ? ` (${m.note})` : ''}`);
}
