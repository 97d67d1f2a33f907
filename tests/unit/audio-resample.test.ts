import { describe, expect, it } from 'vitest';
import { resample, resampleChannel } from '../../electron/audio/resample';
import { loadModelAudio } from '../../electron/audio/model-audio';
import { encodeWaveFromFloat32Channels } from '@echogarden/wave-codec';

const rmsDb = (x: Float32Array, from: number, to: number): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return 10 * Math.log10(s / (to - from));
};

/** Linear sweep f0→f1 over `seconds`, amplitude 0.5. */
function sweep(rate: number, seconds: number, f0: number, f1: number): Float32Array {
  const n = Math.round(rate * seconds);
  const x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f = f0 + ((f1 - f0) * i) / n;
    phase += (2 * Math.PI * f) / rate;
    x[i] = 0.5 * Math.sin(phase);
  }
  return x;
}

describe('resampler', () => {
  it('rejects aliases by at least 60 dB on a 48 kHz → 32 kHz sweep', async () => {
    // 20 Hz … 24 kHz over 4 s: above 16 kHz (the new Nyquist) everything must be removed, not folded.
    const rate = 48000;
    const seconds = 4;
    const x = sweep(rate, seconds, 20, 24000);
    const y = await resampleChannel(x, rate, 32000);
    expect(y.length).toBe(Math.round(x.length * (32000 / 48000)));
    const timeOf = (f: number) => ((f - 20) / (24000 - 20)) * seconds;
    const inputLevel = rmsDb(x, 0, x.length);
    // Passband: 1–14 kHz comes through at the input level (±0.5 dB).
    const pass = rmsDb(y, Math.round(timeOf(1000) * 32000), Math.round(timeOf(14000) * 32000));
    expect(Math.abs(pass - inputLevel)).toBeLessThan(0.5);
    // Stop band: while the sweep is above 16.8 kHz, the output holds only aliases.
    const alias = rmsDb(y, Math.round(timeOf(16800) * 32000), y.length - 100);
    expect(inputLevel - alias).toBeGreaterThanOrEqual(60);
  });

  it('keeps timing: a 1 kHz tone stays in phase after 44.1 → 32 kHz', async () => {
    const x = Float32Array.from({ length: 44100 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 44100));
    const y = await resampleChannel(x, 44100, 32000);
    let err = 0;
    for (let k = 500; k < y.length - 500; k++)
      err = Math.max(err, Math.abs(y[k]! - Math.sin((2 * Math.PI * 1000 * k) / 32000)));
    expect(err).toBeLessThan(1e-3);
  });

  it('upsamples every channel and leaves equal rates alone', async () => {
    const x = sweep(16000, 1, 100, 7000);
    const up = await resample({ sampleRate: 16000, channels: [x, x] }, 48000);
    expect(up.channels).toHaveLength(2);
    expect(up.channels[1]!.length).toBe(48000);
    const same = await resample({ sampleRate: 16000, channels: [x] }, 16000);
    expect(same.channels[0]).toBe(x);
  });

  it('loads any file as 32 kHz mono for the model', async () => {
    const l = sweep(44100, 1, 100, 5000);
    const bytes = encodeWaveFromFloat32Channels([l, l], 44100, 16);
    const audio = await loadModelAudio(bytes, 'prompt.wav');
    expect(audio.sampleRate).toBe(32000);
    expect(audio.channels).toHaveLength(1);
    expect(audio.channels[0]!.length).toBe(32000);
  });
});
