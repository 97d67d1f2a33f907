// Writes a Performance as a Standard MIDI File (format 0, 480 ticks per beat at 120 bpm, so one
// second is exactly 960 ticks): used for the demo piece and the demo performers' prompt MIDI.
import { writeMidi, type MidiData, type MidiEvent } from 'midi-file';
import type { Performance } from '../../shared/performance';

const TICKS_PER_SECOND = 960;
const PEDAL_CONTROLLER = { sustain: 64, sostenuto: 66, soft: 67 } as const;

export function performanceToMidiBytes(performance: Performance, trackName = 'Piano'): Uint8Array {
  type Timed = { tick: number; order: number; event: MidiEvent };
  const timed: Timed[] = [];
  const tick = (seconds: number) => Math.max(0, Math.round(seconds * TICKS_PER_SECOND));
  for (const n of performance.notes) {
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
  for (const p of performance.pedals) {
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
  const events: MidiEvent[] = [
    { deltaTime: 0, meta: true, type: 'trackName', text: trackName } as MidiEvent,
    { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: 500000 } as MidiEvent,
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
    events.push({ ...t.event, deltaTime: t.tick - last });
    last = t.tick;
  }
  events.push({ deltaTime: 0, meta: true, type: 'endOfTrack' } as MidiEvent);
  const data: MidiData = { header: { format: 0, numTracks: 1, ticksPerBeat: 480 }, tracks: [events] };
  return new Uint8Array(writeMidi(data));
}
