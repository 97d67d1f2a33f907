// Standard MIDI File reading: chunk validation by hand (midi-file reads past the end of a truncated
// chunk silently), event decoding by the maintained `midi-file` parser, absolute ticks and the tempo map.
import midiFile from 'midi-file';
import type { MidiEvent } from 'midi-file';
import { StudioFailure } from '../shared/failure';

export interface SmfFile {
  format: number;
  /** Ticks per quarter note, or 0 for SMPTE time division. */
  ticksPerQuarter: number;
  /** Seconds per tick for SMPTE files (fixed), else 0. */
  smpteSecondsPerTick: number;
  /** midi-file's events per track (delta times); consumers walk them once, without copies. */
  tracks: MidiEvent[][];
  trackNames: string[];
}

const fail = (name: string, why: string): never => {
  throw new StudioFailure('bad-input', `${name}: ${why}`);
};

const chunkId = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
const u32 = (bytes: Uint8Array, at: number): number =>
  ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;

/**
 * Checks the chunk structure and keeps only MThd and MTrk chunks (the standard says unknown chunks are
 * skipped; midi-file would throw on them). A chunk whose declared length runs past the end is truncation.
 */
function validChunks(bytes: Uint8Array, name: string): Uint8Array {
  if (bytes.length < 14 || chunkId(bytes, 0) !== 'MThd')
    fail(name, 'not a MIDI file (no MThd header); choose a .mid or .midi file');
  const headerLength = u32(bytes, 4);
  if (headerLength < 6 || 8 + headerLength > bytes.length)
    fail(name, 'the MIDI header chunk is truncated; the file is damaged');
  const kept: Array<[number, number]> = [[0, 8 + headerLength]];
  let at = 8 + headerLength;
  let tracks = 0;
  while (at < bytes.length) {
    // Some writers pad the file with a few zero bytes after the last chunk: tolerate under 8 trailing bytes.
    if (bytes.length - at < 8) break;
    const id = chunkId(bytes, at);
    const length = u32(bytes, at + 4);
    if (at + 8 + length > bytes.length) {
      fail(
        name,
        `chunk ${tracks + 1} (${JSON.stringify(id)}) is truncated: it declares ${length} bytes but only ${bytes.length - at - 8} remain; the file is damaged`,
      );
    }
    if (id === 'MTrk') {
      kept.push([at, at + 8 + length]);
      tracks++;
    }
    at += 8 + length;
  }
  const declared = (bytes[10]! << 8) + bytes[11]!;
  if (tracks < declared) {
    fail(
      name,
      `the file is truncated: its header declares ${declared} track${declared === 1 ? '' : 's'} but ${tracks === 0 ? 'none is' : `only ${tracks} ${tracks === 1 ? 'is' : 'are'}`} complete`,
    );
  }
  if (tracks === 0) fail(name, 'the MIDI file has no track chunk');
  const total = kept.reduce((n, [s, e]) => n + e - s, 0);
  if (total === bytes.length) return bytes;
  const out = new Uint8Array(total);
  let w = 0;
  for (const [s, e] of kept) {
    out.set(bytes.subarray(s, e), w);
    w += e - s;
  }
  return out;
}

/** Reads the bytes of a .mid/.midi file; throws bad-input for unusable files. */
export function readSmf(bytes: Uint8Array, name = 'MIDI file'): SmfFile {
  const clean = validChunks(bytes, name);
  let data: ReturnType<typeof midiFile.parseMidi>;
  try {
    data = midiFile.parseMidi(clean);
  } catch (error) {
    // midi-file throws strings, not Errors
    return fail(name, `the MIDI data is corrupt (${error instanceof Error ? error.message : String(error)})`);
  }
  const { header } = data;
  if (header.format !== 0 && header.format !== 1) {
    fail(name, `MIDI format ${header.format} is not supported (only type 0 and type 1 files are)`);
  }
  const ticksPerQuarter = header.ticksPerBeat ?? 0;
  let smpteSecondsPerTick = 0;
  if (!ticksPerQuarter) {
    const fps = header.framesPerSecond === 29 ? 29.97 : (header.framesPerSecond ?? 0);
    const perFrame = header.ticksPerFrame ?? 0;
    if (!fps || !perFrame) fail(name, 'the MIDI header has no valid time division');
    smpteSecondsPerTick = 1 / (fps * perFrame);
  }
  const trackNames = data.tracks.map((track) => {
    for (const event of track) {
      if (event.type === 'trackName') return event.text.replace(/\0/g, '').trim();
    }
    return '';
  });
  return { format: header.format, ticksPerQuarter, smpteSecondsPerTick, tracks: data.tracks, trackNames };
}

/** A data byte midi-file read from inside the file (past the end it yields undefined, i.e. truncation). */
export const isDataByte = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 127;

/**
 * Tick → seconds through the tempo map. Tempo changes are collected from every track (format-1 files
 * should keep them in track 0, but some writers do not); 120 BPM until the first one, as the standard says.
 */
export class TempoMap {
  private readonly ticks: number[] = [0];
  private readonly seconds: number[] = [0];
  private readonly secondsPerTick: number[];

  constructor(file: SmfFile) {
    if (file.smpteSecondsPerTick) {
      this.secondsPerTick = [file.smpteSecondsPerTick];
      return;
    }
    const tpq = file.ticksPerQuarter;
    this.secondsPerTick = [60.0 / (120 * tpq)];
    const tempos: Array<{ tick: number; microseconds: number; order: number }> = [];
    for (const track of file.tracks) {
      let tick = 0;
      for (const event of track) {
        tick += event.deltaTime;
        if (event.type === 'setTempo' && event.microsecondsPerBeat > 0) {
          tempos.push({ tick, microseconds: event.microsecondsPerBeat, order: tempos.length });
        }
      }
    }
    tempos.sort((x, y) => x.tick - y.tick || x.order - y.order);
    for (const tempo of tempos) {
      const last = this.ticks.length - 1;
      // pretty_midi's formula, so that seconds match its reading of the source to the last bit
      const perTick = 60.0 / ((6e7 / tempo.microseconds) * tpq);
      if (tempo.tick === this.ticks[last]) {
        this.secondsPerTick[last] = perTick; // the later of two tempo events at one tick wins
      } else {
        this.seconds.push(this.seconds[last]! + (tempo.tick - this.ticks[last]!) * this.secondsPerTick[last]!);
        this.ticks.push(tempo.tick);
        this.secondsPerTick.push(perTick);
      }
    }
  }

  /** Number of tempo segments (1 for a constant tempo). */
  get size(): number {
    return this.ticks.length;
  }

  toSeconds(tick: number): number {
    const ticks = this.ticks;
    if (ticks.length === 1) return tick * this.secondsPerTick[0]!;
    let lo = 0;
    let hi = ticks.length - 1;
    if (tick >= ticks[hi]!) lo = hi;
    else {
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ticks[mid]! <= tick) lo = mid;
        else hi = mid - 1;
      }
    }
    return this.seconds[lo]! + (tick - ticks[lo]!) * this.secondsPerTick[lo]!;
  }
}
