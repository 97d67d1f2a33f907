// Stem splitting: stems that add up to their mix exactly, and masks that give each part its own sound.
import { describe, expect, it } from 'vitest';
import { applyGainCurve, normalizeLoudness, reconcileStems, splitByMasks, type AudioData } from '../../electron/audio';

const RATE = 32000;
const tone = (freq: number, seconds: number, amp: number): Float32Array =>
  Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / RATE));
const mono = (x: Float32Array): AudioData => ({ sampleRate: RATE, channels: [x] });
const add = (a: Float32Array, b: Float32Array) => Float32Array.from(a, (v, i) => v + b[i]!);
const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

function worstSumError(mix: AudioData, stems: AudioData[]): number {
  let worst = 0;
  mix.channels.forEach((m, c) => {
    for (let i = 0; i < m.length; i++) {
      let sum = 0;
      for (const s of stems) sum += s.channels[c]![i]!;
      worst = Math.max(worst, Math.abs(sum - m[i]!));
    }
  });
  return worst;
}

describe('stem splitting', () => {
  it('reconciles stems that nearly add up, leaving them otherwise as they were', () => {
    const low = tone(110, 1, 0.4);
    const high = tone(1760, 1, 0.3);
    const mix = mono(add(low, high));
    const off = Float32Array.from(high, (v, i) => v + (i % 7 === 0 ? 1e-5 : 0));
    const stems = reconcileStems(mix, [mono(low), mono(off)]);
    expect(worstSumError(mix, stems)).toBeLessThan(1e-7);
    expect(worstSumError(mix, [mono(low), mono(off)])).toBeGreaterThan(5e-6);
    expect(rms(Float32Array.from(stems[0]!.channels[0]!, (v, i) => v - low[i]!))).toBeLessThan(1e-5);
  });

  it('splits a mix among parts that do not add up to it, by their spectra', () => {
    // The mix is not the sum of the parts (other amplitudes, a phase shift): as with neural part renders.
    const n = RATE * 2;
    const mixLow = tone(110, 2, 0.5);
    const mixHigh = Float32Array.from({ length: n }, (_, i) => 0.25 * Math.cos((2 * Math.PI * 1760 * i) / RATE));
    const mix = mono(add(mixLow, mixHigh));
    const stems = splitByMasks(mix, [mono(tone(110, 2, 0.2)), mono(tone(1760, 2, 0.9))]);
    expect(worstSumError(mix, stems)).toBeLessThan(1e-7);
    const err = (a: Float32Array, b: Float32Array) => rms(Float32Array.from(a, (v, i) => v - b[i]!)) / rms(b);
    expect(err(stems[0]!.channels[0]!, mixLow)).toBeLessThan(0.02);
    expect(err(stems[1]!.channels[0]!, mixHigh)).toBeLessThan(0.02);
  });

  it('gives a normalised mix a gain curve that, applied to its stems, keeps them adding up', () => {
    const low = tone(110, 3, 0.6);
    const high = tone(440, 3, 0.6);
    const mix = mono(add(low, high));
    const normalized = normalizeLoudness(mix, { targetLufs: -3, truePeakCeilingDb: -1 });
    expect(normalized.limited).toBe(true);
    const stems = [mono(low), mono(high)].map((s) => applyGainCurve(s, normalized.gain));
    expect(worstSumError(normalized.audio, stems)).toBeLessThan(1e-6);
  });
});
