// Performance MIDI → Performance: notes paired FIFO per (track, channel, pitch) like symusic and
// @tonejs/midi (but in linear time), seconds through the tempo map, pedals, hands, and counters of
// everything the import changed so the user can be told.
import { StudioFailure } from '../shared/failure';
import type { PedalEvent, PedalKind, Performance, PerformedNote } from '../shared/performance';
import { assignHands, type HandMethod } from './hands';
import { isDataByte, readSmf, TempoMap } from './smf';

export const PIANO_LOW = 21;
export const PIANO_HIGH = 108;
/** Longest note kept as is: the tokenizer cannot express more (1152 ticks at 192 ticks/s). */
export const MAX_NOTE_SECONDS = 6;
/**
 * Longest performance accepted. Hands, segmentation and pedal spans walk the timeline in steps of
 * seconds, so a damaged delta time (days of silence in a tiny file) would otherwise cost seconds to
 * hours of work or a RangeError; no real recital comes near this.
 */
export const MAX_PERFORMANCE_SECONDS = 4 * 3600;
const DRUM_CHANNEL = 9; // "channel 10" counted from 1

const PEDAL_CONTROLLERS: Record<number, PedalKind> = { 64: 'sustain', 66: 'sostenuto', 67: 'soft' };

export interface MidiStats {
  format: number;
  ticksPerQuarter: number; // 0 for SMPTE time division
  tempoChanges: number;
  fileTracks: number;
  noteCount: number;
  duration: number;
  pitchRange: [number, number];
  pedalCounts: Record<PedalKind, number>;
  hands: HandMethod;
  /** Notes below 21 or above 108, dropped. */
  droppedOutOfRange: number;
  /** Notes longer than 6 s, shortened to 6 s. */
  clampedLong: number;
  /** Notes on channel 10 (drums), ignored. */
  droppedDrums: number;
  /** Note-on and note-off at the same tick: nothing sounds, dropped. */
  droppedZeroLength: number;
  /** Note-ons never switched off before the end of their track, dropped (symusic and pretty_midi do the same). */
  droppedUnterminated: number;
}

export interface MidiImport {
  performance: Performance;
  stats: MidiStats;
}

/** Parses a .mid/.midi file into a Performance; throws StudioFailure('bad-input') for unusable files. */
export function parseMidi(bytes: Uint8Array, fileName?: string): Performance {
  return importMidi(bytes, fileName).performance;
}

/** parseMidi plus the import statistics. */
export function importMidi(bytes: Uint8Array, fileName = 'MIDI file'): MidiImport {
  const smf = readSmf(bytes, fileName);
  const tempo = new TempoMap(smf);
  const stats: MidiStats = {
    format: smf.format,
    ticksPerQuarter: smf.ticksPerQuarter,
    tempoChanges: tempo.size,
    fileTracks: smf.tracks.length,
    noteCount: 0,
    duration: 0,
    pitchRange: [0, 0],
    pedalCounts: { sustain: 0, sostenuto: 0, soft: 0 },
    hands: 'split',
    droppedOutOfRange: 0,
    clampedLong: 0,
    droppedDrums: 0,
    droppedZeroLength: 0,
    droppedUnterminated: 0,
  };

  const notes: PerformedNote[] = [];
  const pedals: PedalEvent[] = [];
  // FIFO queues of open note-ons per (channel, pitch): flat arrays with a moving head, O(1) pairing.
  const queueTick: number[][] = Array.from({ length: 16 * 128 }, () => []);
  const queueVelocity: number[][] = Array.from({ length: 16 * 128 }, () => []);
  const queueHead = new Int32Array(16 * 128);
  const used: number[] = []; // queues touched in this track
  let sawNote = false;
  const truncated = (track: number): never => {
    throw new StudioFailure(
      'bad-input',
      `${fileName}: track ${track + 1} ends in the middle of an event; the file is truncated`,
    );
  };

  smf.tracks.forEach((track, trackIndex) => {
    let tick = 0;
    for (const event of track) {
      tick += event.deltaTime;
      if (event.type === 'noteOn' || event.type === 'noteOff') {
        sawNote = true;
        const pitch = event.noteNumber;
        if (!isDataByte(pitch) || !isDataByte(event.velocity) || !Number.isFinite(tick)) truncated(trackIndex);
        if (event.channel === DRUM_CHANNEL) {
          if (event.type === 'noteOn') stats.droppedDrums++;
          continue;
        }
        const key = event.channel * 128 + pitch;
        const ticks = queueTick[key]!;
        if (event.type === 'noteOn') {
          if (ticks.length === 0) used.push(key);
          ticks.push(tick);
          queueVelocity[key]!.push(event.velocity);
          continue;
        }
        const head = queueHead[key]!;
        if (head >= ticks.length) continue; // a note-off with nothing open: ignored
        const onTick = ticks[head]!;
        const velocity = queueVelocity[key]![head]!;
        if (head + 1 === ticks.length) {
          ticks.length = 0;
          queueVelocity[key]!.length = 0;
          queueHead[key] = 0;
        } else queueHead[key] = head + 1;
        if (onTick === tick) {
          stats.droppedZeroLength++;
          continue;
        }
        if (pitch < PIANO_LOW || pitch > PIANO_HIGH) {
          stats.droppedOutOfRange++;
          continue;
        }
        const onset = tempo.toSeconds(onTick);
        let offset = tempo.toSeconds(tick);
        if (offset - onset > MAX_NOTE_SECONDS) {
          offset = onset + MAX_NOTE_SECONDS;
          stats.clampedLong++;
        }
        notes.push({ pitch, velocity, onset, offset, track: trackIndex, channel: event.channel, hand: 'right' });
      } else if (event.type === 'controller') {
        if (!isDataByte(event.controllerType) || !isDataByte(event.value) || !Number.isFinite(tick))
          truncated(trackIndex);
        const kind = PEDAL_CONTROLLERS[event.controllerType];
        if (kind && event.channel !== DRUM_CHANNEL) {
          pedals.push({ kind, time: tempo.toSeconds(tick), value: event.value });
          stats.pedalCounts[kind]++;
        }
      } else if (!Number.isFinite(tick)) truncated(trackIndex);
    }
    // note-ons never switched off in this track are discarded, and the queues start empty for the next
    for (const key of used) {
      stats.droppedUnterminated += queueTick[key]!.length - queueHead[key]!;
      queueTick[key]!.length = 0;
      queueVelocity[key]!.length = 0;
      queueHead[key] = 0;
    }
    used.length = 0;
  });

  if (!sawNote) throw new StudioFailure('bad-input', `${fileName}: the MIDI file contains no notes`);
  if (notes.length === 0) {
    if (stats.droppedDrums > 0 && stats.droppedOutOfRange === 0) {
      throw new StudioFailure(
        'bad-input',
        `${fileName}: the MIDI file contains only drum notes (channel 10); a piano performance is needed`,
      );
    }
    if (stats.droppedOutOfRange > 0) {
      throw new StudioFailure('bad-input', `${fileName}: no note lies in the piano range (MIDI pitches 21–108)`);
    }
    throw new StudioFailure(
      'bad-input',
      `${fileName}: the MIDI file contains no complete notes (every note-on lacks its note-off)`,
    );
  }

  // Stable: equal onsets keep pitch order, then file order.
  notes.sort((x, y) => x.onset - y.onset || x.pitch - y.pitch);
  pedals.sort((x, y) => x.time - y.time);
  const latest = Math.max(
    notes.reduce((t, n) => Math.max(t, n.offset), 0),
    pedals.at(-1)?.time ?? 0,
  );
  if (!(latest <= MAX_PERFORMANCE_SECONDS)) {
    throw new StudioFailure(
      'bad-input',
      `${fileName}: events lie ${(latest / 3600).toFixed(1)} h into the file (more than ${MAX_PERFORMANCE_SECONDS / 3600} h); its timing is damaged, re-export the MIDI`,
    );
  }
  stats.hands = assignHands(notes);

  let end = 0;
  let low = 127;
  let high = 0;
  const trackInfo = new Map<number, { noteCount: number; channels: Set<number> }>();
  for (const n of notes) {
    if (n.offset > end) end = n.offset;
    if (n.pitch < low) low = n.pitch;
    if (n.pitch > high) high = n.pitch;
    let info = trackInfo.get(n.track);
    if (!info) trackInfo.set(n.track, (info = { noteCount: 0, channels: new Set() }));
    info.noteCount++;
    info.channels.add(n.channel);
  }
  const lastPedal = pedals.length ? pedals[pedals.length - 1]!.time : 0;
  const duration = Math.max(end, lastPedal);
  stats.noteCount = notes.length;
  stats.duration = duration;
  stats.pitchRange = [low, high];

  const performance: Performance = {
    notes,
    pedals,
    duration,
    tracks: [...trackInfo.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, info]) => ({
        index,
        name: smf.trackNames[index] ?? '',
        noteCount: info.noteCount,
        channels: [...info.channels].sort((a, b) => a - b),
      })),
    warnings: importWarnings(stats),
  };
  return { performance, stats };
}

function importWarnings(stats: MidiStats): string[] {
  const warnings: string[] = [];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (stats.droppedDrums) warnings.push(`${plural(stats.droppedDrums, 'drum note')} on channel 10 ignored`);
  if (stats.droppedOutOfRange)
    warnings.push(`${plural(stats.droppedOutOfRange, 'note')} outside the piano range 21–108 dropped`);
  if (stats.clampedLong)
    warnings.push(
      `${plural(stats.clampedLong, 'note')} longer than ${MAX_NOTE_SECONDS} s shortened to ${MAX_NOTE_SECONDS} s`,
    );
  if (stats.droppedZeroLength) warnings.push(`${plural(stats.droppedZeroLength, 'zero-length note')} dropped`);
  if (stats.droppedUnterminated)
    warnings.push(`${plural(stats.droppedUnterminated, 'note')} without a note-off dropped`);
  return warnings;
}
