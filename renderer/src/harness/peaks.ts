// Synthetic waveform peaks that follow the generated notes' loudness, for the harness waveform.
import type { Peaks } from '../../../electron/contract/methods/common';
import type { RollNotes } from '../lib/pianoroll/notes';

export function peaksFromNotes(notes: RollNotes, pointsPerSecond = 50): Peaks {
  const points = Math.max(1, Math.ceil(notes.end * pointsPerSecond));
  const energy = new Float64Array(points);
  for (let i = 0; i < notes.count; i++) {
    const from = Math.floor(notes.onset[i]! * pointsPerSecond);
    const to = Math.min(points, Math.ceil(notes.offset[i]! * pointsPerSecond) + 20);
    const amplitude = notes.velocity[i]! / 127;
    for (let p = from; p < to; p++) energy[p]! += amplitude * Math.exp(-(p - from) / 12) * 0.35;
  }
  const max = Array.from(energy, (e, i) => Math.min(1, Math.tanh(e)) * (0.85 + 0.15 * Math.sin(i * 1.7)));
  return { pointsPerSecond, max, min: max.map((v) => -v) };
}
