// Alignment speed: a 21-minute performance against a re-timed, spoiled copy of itself, and the
// Chopin étude against its score. Goal: an 11-minute piece well under a second.
// Run through `npm run bench -- align`, or alone: npx tsx bench/align.ts
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseMidi } from '../electron/midi';
import { alignNotes } from '../electron/midi/align';
import { MT19937 } from '../electron/midi/mt19937';
import type { PerformedNote } from '../electron/shared/performance';
import { testdata } from '../tests/support/shared-data';
import { medianMs, type Metric } from './support/timing';

export async function run(): Promise<Metric[]> {
  const schubert = parseMidi(readFileSync(testdata('asap/Schubert_Wanderer_fantasie_Kolessova02.mid'))).notes;
  // another "pianist": tempo swaying ±20 % over 40 s, 10 % of the notes left out
  const rng = new MT19937(7);
  const warpTime = (t: number) => t * 1.1 + 4 * Math.sin((2 * Math.PI * t) / 40);
  const other: PerformedNote[] = schubert
    .filter(() => rng.nextDouble() >= 0.1)
    .map((n) => ({ ...n, onset: warpTime(n.onset), offset: warpTime(n.offset) }));
  const minutes = (schubert.at(-1)!.onset / 60).toFixed(0);
  const longMs = medianMs(5, () => alignNotes(schubert, other));

  const score = parseMidi(readFileSync(testdata('asap/Chopin_Etudes_op_10_3_midi_score.mid'))).notes;
  const perf = parseMidi(readFileSync(testdata('asap/Chopin_Etudes_op_10_3_SunMeiting08.mid'))).notes;
  const chopinMs = medianMs(5, () => alignNotes(score, perf));
  const load = `load average ${loadavg()[0]!.toFixed(1)}`;
  return [
    {
      name: `align ${minutes}-min performance`,
      value: Math.round(longMs),
      unit: 'ms',
      note: `${schubert.length} vs ${other.length} notes, median of 5; ${load}`,
    },
    { name: 'align Chopin op. 10/3 score → performance', value: Math.round(chopinMs), unit: 'ms', note: load },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const m of await run()) console.log(`${m.name}: ${m.value} ${m.unit}${m.note ? ` (${m.note})` : ''}`);
}
