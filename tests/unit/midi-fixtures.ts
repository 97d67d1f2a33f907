// Small MIDI files built in memory for the MIDI tests, and the list of real test files.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { testdata } from '../support/shared-data';

export interface FixtureNote {
  pitch: number;
  velocity?: number;
  on: number; // tick
  off: number; // tick
  channel?: number;
}

export interface FixtureCc {
  tick: number;
  controller: number;
  value: number;
  channel?: number;
}

/**
 * A format-1 file: a conductor track with one tempo, then one track per note list. Written byte by byte
 * (midi-file's writer needs seconds for 100k notes) so that tests control every byte.
 */
export function buildMidi(
  tracks: Array<{ notes: FixtureNote[]; ccs?: FixtureCc[] }>,
  options: { ticksPerBeat?: number; microsecondsPerBeat?: number; format?: number } = {},
): Uint8Array {
  const chunks: number[][] = [];
  const tempo = options.microsecondsPerBeat ?? 500000;
  chunks.push(
    chunk('MThd', [...u16(options.format ?? 1), ...u16(tracks.length + 1), ...u16(options.ticksPerBeat ?? 480)]),
  );
  chunks.push(
    chunk('MTrk', [0, 0xff, 0x51, 3, (tempo >> 16) & 255, (tempo >> 8) & 255, tempo & 255, 0, 0xff, 0x2f, 0]),
  );
  for (const { notes, ccs = [] } of tracks) {
    // [tick, order, status, data1, data2]: at one tick controllers, then note-offs, then note-ons
    const events: Array<[number, number, number, number, number]> = [];
    for (const n of notes) {
      const channel = n.channel ?? 0;
      events.push([n.on, 2, 0x90 | channel, n.pitch, n.velocity ?? 64]);
      events.push([n.off, 1, 0x80 | channel, n.pitch, 0]);
    }
    for (const c of ccs) events.push([c.tick, 0, 0xb0 | (c.channel ?? 0), c.controller, c.value]);
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const body: number[] = [];
    let last = 0;
    for (const [tick, , status, d1, d2] of events) {
      for (const b of varint(tick - last)) body.push(b);
      body.push(status, d1, d2);
      last = tick;
    }
    body.push(0, 0xff, 0x2f, 0);
    chunks.push(chunk('MTrk', body));
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function u16(v: number): number[] {
  return [(v >> 8) & 255, v & 255];
}

function chunk(id: string, body: number[]): number[] {
  const n = body.length;
  const out = [...id].map((c) => c.charCodeAt(0));
  out.push((n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255);
  for (const b of body) out.push(b); // no spread: bodies can exceed the argument limit
  return out;
}

function varint(v: number): number[] {
  const bytes = [v & 0x7f];
  while ((v >>>= 7) > 0) bytes.unshift((v & 0x7f) | 0x80);
  return bytes;
}

/** Every MIDI file in ../shared/testdata (midi-valle and asap). */
export function allTestMidis(): string[] {
  return ['midi-valle', 'asap'].flatMap((dir) => {
    const folder = testdata(dir);
    return readdirSync(folder)
      .filter((f) => /\.midi?$/i.test(f))
      .sort()
      .map((f) => join(folder, f));
  });
}
