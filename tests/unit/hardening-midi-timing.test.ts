// Regression from the MIDI fuzzer: one damaged delta time put a note days into a 588-byte file, and
// the hand-split curve (one window every 0.5 s of the timeline) then took ~2 s; with the largest
// delta and slowest tempo it would need billions of windows. Such files are now refused at once.
import { describe, expect, it } from 'vitest';
import { StudioFailure } from '../../electron/shared/failure';
import { importMidi, MAX_PERFORMANCE_SECONDS } from '../../electron/midi/import';

/** A variable-length quantity as MIDI writes it. */
function vlq(value: number): number[] {
  const out = [value & 0x7f];
  for (let v = value >>> 7; v > 0; v >>>= 7) out.unshift((v & 0x7f) | 0x80);
  return out;
}

/** Format 0, 1 tick per quarter, the slowest tempo (16.7 s a quarter), one note `delta` ticks in. */
function lateNoteMidi(delta: number): Uint8Array {
  const events = [
    ...[0x00, 0xff, 0x51, 0x03, 0xff, 0xff, 0xff], // tempo: 16 777 215 µs per quarter
    ...[0x00, 0x90, 60, 80, 0x01, 0x80, 60, 0], // a first ordinary note
    ...vlq(delta),
    ...[0x90, 62, 80, 0x01, 0x80, 62, 0], // the late note
    ...[0x00, 0xff, 0x2f, 0x00],
  ];
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0, 1];
  const length = events.length;
  const track = [0x4d, 0x54, 0x72, 0x6b, length >>> 24, (length >>> 16) & 255, (length >>> 8) & 255, length & 255];
  return new Uint8Array([...header, ...track, ...events]);
}

describe('MIDI files whose timing is damaged', () => {
  it('refuses a note billions of seconds in, quickly, with one bad-input line', () => {
    let error: unknown;
    try {
      importMidi(lateNoteMidi(0x0fffffff), 'late.mid');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StudioFailure);
    expect((error as StudioFailure).code).toBe('bad-input');
    expect((error as StudioFailure).message).toMatch(/^late\.mid: events lie .* h into the file/);
  });

  it('still accepts a performance just inside the limit', () => {
    const quarters = Math.floor((MAX_PERFORMANCE_SECONDS - 60) / 16.777215);
    const { performance } = importMidi(lateNoteMidi(quarters), 'long.mid');
    expect(performance.notes).toHaveLength(2);
    expect(performance.duration).toBeGreaterThan(MAX_PERFORMANCE_SECONDS - 120);
  });
});
