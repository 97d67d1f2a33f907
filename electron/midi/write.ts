// Writes notes and pedals as a Standard MIDI File: format 0, one tempo of 120 BPM and 480 ticks per
// quarter, so one second is exactly 960 ticks. Used for a performer's 3-s prompt window, the demo
// piece and the demo prompts.
import midiFile from 'midi-file';
import type { MidiData, MidiEvent } from 'midi-file';
import type { PedalEvent, PerformedNote } from '../shared/performance';

const TICKS_PER_QUARTER = 480;
const TICKS_PER_SECOND = 960;
const PEDAL_CONTROLLER = { sustain: 64, sostenuto: 66, soft: 67 } as const;

type Timed = { tick: number; order: number; event: MidiEvent };
type WritableNote = Pick<PerformedNote, 'pitch' | 'velocity' | 'onset' | 'offset'>;

export function writeMidi(
  notes: readonly WritableNote[],
  pedals: readonly PedalEvent[] = [],
  trackName = 'Piano',
): Uint8Array {
  const tick = (seconds: number): number => Math.max(0, Math.round(seconds * TICKS_PER_SECOND));
  const timed: Timed[] = [];
  for (const n of notes) {
    // note-offs sort before note-ons at the same tick, so a repeated pitch is not cut short
    timed.push({
      tick: tick(n.onset),
      order: 2,
      event: { deltaTime: 0, type: 'noteOn', channel: 0, noteNumber: n.pitch, velocity: n.velocity } as MidiEvent,
    });
    timed.push({
      tick: tick(n.offset),
      order: 0,
      event: { deltaTime: 0, type: 'noteOff', channel: 0, noteNumber: n.pitch, velocity: 0 } as MidiEvent,
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
    { deltaTime: 0, meta: true, type: 'trackName', text: trackName } as MidiEvent,
    { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: 500_000 } as MidiEvent,
    {
      deltaTime: 0,
      meta: true,
      type: 'timeSignature',
      numerator: 4,
      denominator: 4,
      metronome: 24,
      thirtyseconds: 8,
    } as MidiEvent,
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
