// BS.1770-4 meter against the EBU Tech 3341 style test signals (generated here) and normalisation.
import { describe, expect, it } from 'vitest';
import { integratedLoudness, kWeightingFilters } from '../../electron/audio/loudness';
import { truePeakDb } from '../../electron/audio/true-peak';
import { normalizeLoudness, loudnessMatchGains, loudnessMatchGainDb } from '../../electron/audio/normalize';
import { samplePeak } from '../../electron/audio/audio-data';

function tone(rate: number, seconds: number, dbfs: number, freq = 1000): Float32Array {
  const a = Math.pow(10, dbfs / 20);
  return Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => a * Math.sin((2 * Math.PI * freq * i) / rate),
  );
}
function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
const stereo = (x: Float32Array, rate: number) => ({ sampleRate: rate, channels: [x, x.slice()] });

describe('loudness meter (ITU-R BS.1770-4)', () => {
  it('reproduces the BS.1770-4 K-weighting coefficients at 48 kHz', () => {
    const [shelf, hp] = kWeightingFilters(48000);
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 10);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 10);
    expect(hp.a2).toBeCloseTo(0.99007225036621, 10);
  });

  for (const rate of [48000, 44100, 32000]) {
    it(`stereo 1 kHz at −23 dBFS reads −23.0 LUFS at ${rate} Hz`, () => {
      expect(Math.abs(integratedLoudness(stereo(tone(rate, 20, -23), rate)) - -23)).toBeLessThan(0.1);
    });
  }

  it('stereo 1 kHz at −33 dBFS reads −33.0 LUFS', () => {
    expect(Math.abs(integratedLoudness(stereo(tone(48000, 20, -33), 48000)) - -33)).toBeLessThan(0.1);
  });

  it('mono is one channel: a 1 kHz sine at −20 dBFS reads −23.0 LUFS', () => {
    expect(Math.abs(integratedLoudness({ sampleRate: 48000, channels: [tone(48000, 10, -20)] }) - -23)).toBeLessThan(
      0.1,
    );
  });

  it('relative gate: −36 / −23 / −36 dBFS for 10 / 60 / 10 s reads −23.0 LUFS', () => {
    const x = concat(tone(48000, 10, -36), tone(48000, 60, -23), tone(48000, 10, -36));
    expect(Math.abs(integratedLoudness(stereo(x, 48000)) - -23)).toBeLessThan(0.1);
  });

  it('relative gate: −26 / −20 / −26 dBFS for 20 / 20.1 / 20 s reads −23.0 LUFS', () => {
    const x = concat(tone(48000, 20, -26), tone(48000, 20.1, -20), tone(48000, 20, -26));
    expect(Math.abs(integratedLoudness(stereo(x, 48000)) - -23)).toBeLessThan(0.1);
  });

  it('absolute gate: silence and −72 dBFS do not count', () => {
    const x = concat(tone(48000, 10, -72), tone(48000, 60, -23), new Float32Array(48000 * 10));
    expect(Math.abs(integratedLoudness(stereo(x, 48000)) - -23)).toBeLessThan(0.1);
    expect(integratedLoudness(stereo(new Float32Array(48000 * 5), 48000))).toBe(-Infinity);
  });

  it('true peak finds the inter-sample peak of a quarter-rate sine', () => {
    // 12 kHz at 48 kHz sampled 45° off its crest: samples reach only 0.3536, the wave 0.5 (−6.02 dBTP).
    const n = 48000;
    const x = Float32Array.from({ length: n }, (_, i) => {
      const fade = Math.min(1, i / 4800, (n - i) / 4800);
      return 0.5 * fade * Math.sin((Math.PI / 2) * i + Math.PI / 4);
    });
    expect(20 * Math.log10(samplePeak({ sampleRate: n, channels: [x] }))).toBeLessThan(-8.9);
    expect(Math.abs(truePeakDb({ sampleRate: 48000, channels: [x] }) - -6.02)).toBeLessThan(0.2);
  });
});

describe('normalisation and loudness matching', () => {
  it('normalises a peaky signal to −16 LUFS with true peak ≤ −1 dBTP', () => {
    // Decaying 220 Hz "plucks" every 0.5 s: a high peak-to-loudness ratio like piano.
    const rate = 48000;
    const x = Float32Array.from({ length: rate * 10 }, (_, i) => {
      const t = (i % rate) / rate;
      return 0.2 * Math.exp(-t * 40) * Math.sin(2 * Math.PI * 220 * (i / rate));
    });
    const result = normalizeLoudness({ sampleRate: rate, channels: [x, x] });
    expect(Math.abs(integratedLoudness(result.audio) - -16)).toBeLessThan(0.15);
    expect(truePeakDb(result.audio)).toBeLessThanOrEqual(-1 + 0.05);
    expect(result.limited).toBe(true);
  });

  it('refuses to normalise silence', () => {
    expect(() => normalizeLoudness({ sampleRate: 48000, channels: [new Float32Array(48000)] })).toThrow(/silent/);
  });

  it('matches takes to the quietest one', () => {
    expect(loudnessMatchGains([-14, -20, -17])).toEqual([-6, 0, -3]);
    expect(loudnessMatchGains([-Infinity, -20])).toEqual([0, 0]);
    expect(loudnessMatchGainDb(-18, -16)).toBe(2);
  });
});
