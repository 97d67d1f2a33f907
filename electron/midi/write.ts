// Writes notes and pedals as a Standard MIDI File (type 0, one tempo of 120 BPM, 480 ticks per quarter),
// e.g. a performer's 3-s prompt window cut out of a longer recording's MIDI.
import midiFile from 'midi-file';
import type { MidiData, MidiEvent } from 'midi-file';
import type { PedalEvent, PerformedNote } from '../shared/performance';

const TICKS_PER_QUARTER = 480;
const MICROSECONDS_PER_QUARTER = 500_000; // 120 BPM
const TICKS_PER_SECOND = (TICKS_PER_QUARTER * 1_000_000) / MICROSECONDS_PER_QUARTER;
const PEDAL_CONTROLLER = { sustain: 64, sostenuto: 66, soft: 67 } as const;

type Timed = { tick: number; order: number; event: MidiEvent };

export function writeMidi(
  notes: readonly Pick<PerformedNote, 'pitch' | 'velocity' | 'onset' | 'offset'>[],
  pedals: readonly PedalEvent[] = [],
): Uint8Array {
  const tick = (seconds: number): number => Math.max(0, Math.round(seconds * TICKS_PER_SECOND));
  const timed: Timed[] = [];
  for (const n of notes) {
    const on = tick(n.onset);
    const off = Math.max(on + 1, tick(n.offset));
    // note-offs sort before note-ons at the same tick, so a repeated pitch is not cut short
    timed.push({
      tick: off,
      order: 0,
      event: { deltaTime: 0, type: 'noteOff', channel: 0, noteNumber: n.pitch, velocity: 0 } as MidiEvent,
    });
    timed.push({
      tick: on,
      order: 2,
      event: { deltaTime: 0, type: 'noteOn', channel: 0, noteNumber: n.pitch, velocity: n.velocity } as MidiEvent,
    });
  }
  for (const p of pedals) {
    timed.push({
      tick: tick(p.time),
      order: 1,
      event: {
        deltaTime: 0,
        type: 'controller',
        channel: 0,
        controllerType: PEDAL_CONTROLLER[p.kind],
        value: p.value,
      } as MidiEvent,
    });
  }
  timed.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const track: MidiEvent[] = [
    { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: MICROSECONDS_PER_QUARTER } as MidiEvent,
  ];
  let last = 0;
  for (const t of timed) {
    track.push({ ...t.event, deltaTime: t.tick - last });
    last = t.tick;
  }
  track.push({ deltaTime: 0, meta: true, type: 'endOfTrack' } as MidiEvent);
  const data: MidiData = { header: { format: 0, numTracks: 1, ticksPerBeat: TICKS_PER_QUARTER }, tracks: [track] };
  return new Uint8Array(midiFile.writeMidi(data));
}
