// Test-only MIDI → Performance reader (@tonejs/midi applies the tempo map), used by the audio tests
// until the real MIDI parser of electron/midi is integrated. Not a product code path.
import { readFileSync } from 'node:fs';
import midiPackage from '@tonejs/midi';
import type { PedalEvent, PedalKind, Performance, PerformedNote } from '../../electron/shared/performance';

const { Midi } = midiPackage;

const PEDAL_CC: Record<number, PedalKind> = { 64: 'sustain', 66: 'sostenuto', 67: 'soft' };

export function performanceFromMidiBytes(bytes: Uint8Array): Performance {
  const midi = new Midi(bytes);
  const notes: PerformedNote[] = [];
  const pedals: PedalEvent[] = [];
  midi.tracks.forEach((track, index) => {
    for (const n of track.notes) {
      notes.push({
        pitch: n.midi,
        velocity: Math.max(1, Math.round(n.velocity * 127)),
        onset: n.time,
        offset: n.time + n.duration,
        track: index,
        channel: track.channel,
        hand: n.midi < 60 ? 'left' : 'right',
      });
    }
    for (const [cc, kind] of Object.entries(PEDAL_CC)) {
      for (const e of track.controlChanges[Number(cc)] ?? [])
        pedals.push({ kind, time: e.time, value: Math.round(e.value * 127) });
    }
  });
  notes.sort((a, b) => a.onset - b.onset || a.pitch - b.pitch);
  pedals.sort((a, b) => a.time - b.time);
  const lastOff = notes.reduce((t, n) => Math.max(t, n.offset), 0);
  const lastPedal = pedals.reduce((t, p) => Math.max(t, p.time), 0);
  return {
    notes,
    pedals,
    duration: Math.max(lastOff, lastPedal),
    tracks: midi.tracks.map((t, index) => ({ index, name: t.name, noteCount: t.notes.length, channels: [t.channel] })),
    warnings: [],
  };
}

export function performanceFromMidiFile(path: string): Performance {
  return performanceFromMidiBytes(new Uint8Array(readFileSync(path)));
}
