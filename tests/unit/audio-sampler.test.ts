import { describe, expect, it } from 'vitest';
import type { Performance, PerformedNote, PedalEvent } from '../../electron/shared/performance';
import {
  renderWithSampler,
  planVoices,
  layerForVelocity,
  SAMPLER_LABEL,
  SALAMANDER_ATTRIBUTION,
  samplerRenderSeconds,
} from '../../electron/audio/sampler';
import { assembleSegments } from '../../electron/audio/join';
import { computePeaks, wavesurferPeaks } from '../../electron/audio/peaks';

const note = (pitch: number, onset: number, offset: number, velocity = 80): PerformedNote => ({
  pitch,
  velocity,
  onset,
  offset,
  track: 0,
  channel: 0,
  hand: pitch < 60 ? 'left' : 'right',
});
function perf(notes: PerformedNote[], pedals: PedalEvent[] = []): Performance {
  const duration = Math.max(...notes.map((n) => n.offset), ...pedals.map((p) => p.time), 0);
  return { notes, pedals, duration, tracks: [], warnings: [] };
}
const rms = (x: Float32Array, from: number, to: number): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, to - from));
};
const RATE = 16000;

describe('sampled grand', () => {
  it('is labelled honestly and carries the CC BY attribution', () => {
    expect(SAMPLER_LABEL).toBe('Sampled grand, non-neural');
    expect(SALAMANDER_ATTRIBUTION).toMatch(/Alexander Holm/);
    expect(SALAMANDER_ATTRIBUTION).toMatch(/CC BY 3\.0/);
  });

  it('maps velocities to the 8 layers monotonically', () => {
    expect(layerForVelocity(1).layer).toBe(1);
    expect(layerForVelocity(127).layer).toBe(16);
    let previous = 0;
    for (let v = 1; v <= 127; v++) {
      const { layer } = layerForVelocity(v);
      expect(layer).toBeGreaterThanOrEqual(previous);
      previous = layer;
    }
  });

  it('is deterministic and its length is the performance plus the tail', async () => {
    const p = perf([note(60, 0.1, 0.6), note(64, 0.5, 1.0), note(67, 0.9, 1.4)]);
    const a = await renderWithSampler(p, { sampleRate: RATE, channels: 1 });
    const b = await renderWithSampler(p, { sampleRate: RATE, channels: 1 });
    expect(a.channels[0]).toEqual(b.channels[0]);
    expect(a.channels[0]!.length).toBe(Math.round(samplerRenderSeconds(p) * RATE));
    expect(rms(a.channels[0]!, Math.round(0.1 * RATE), Math.round(0.3 * RATE))).toBeGreaterThan(0.01);
    expect(rms(a.channels[0]!, 0, Math.round(0.09 * RATE))).toBe(0); // nothing before the first onset
  });

  it('plays the right pitch, including notes shifted from the nearest sample', async () => {
    const { fft } = await import('../support/onsets');
    for (const pitch of [69, 70, 61]) {
      const a = await renderWithSampler(perf([note(pitch, 0, 1.5)]), { sampleRate: RATE, channels: 1 });
      const n = 16384;
      const re = new Float64Array(n);
      const im = new Float64Array(n);
      for (let i = 0; i < n; i++) re[i] = a.channels[0]![i + 1600]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
      fft(re, im);
      const expected = 440 * 2 ** ((pitch - 69) / 12);
      let best = 0;
      let bin = 0;
      for (let k = Math.floor((expected * 0.9 * n) / RATE); k < (expected * 1.1 * n) / RATE; k++) {
        const m = Math.hypot(re[k]!, im[k]!);
        if (m > best) [best, bin] = [m, k];
      }
      expect(Math.abs((bin * RATE) / n - expected)).toBeLessThan(2);
    }
  });

  it('renders an empty performance as silence of the tail length, and can be cancelled', async () => {
    const empty: Performance = { notes: [], pedals: [], duration: 0, tracks: [], warnings: [] };
    const a = await renderWithSampler(empty, { sampleRate: RATE, channels: 1 });
    expect(a.channels[0]!.length).toBe(Math.round(samplerRenderSeconds(empty) * RATE));
    expect(a.channels[0]!.every((v) => v === 0)).toBe(true);
    const controller = new AbortController();
    controller.abort();
    await expect(
      renderWithSampler(perf([note(60, 0, 1)]), { sampleRate: RATE, signal: controller.signal }),
    ).rejects.toThrow(/cancelled/);
  });

  it('sustain pedal keeps released notes sounding until the pedal comes up', async () => {
    const notes = [note(48, 0, 0.3)];
    const dry = await renderWithSampler(perf(notes, [{ kind: 'sustain', time: 3, value: 0 }]), {
      sampleRate: RATE,
      channels: 1,
    });
    const held = await renderWithSampler(
      perf(notes, [
        { kind: 'sustain', time: 0.05, value: 127 },
        { kind: 'sustain', time: 2, value: 0 },
      ]),
      { sampleRate: RATE, channels: 1 },
    );
    const window = (x: Float32Array) => rms(x, Math.round(1.2 * RATE), Math.round(1.8 * RATE));
    expect(window(held.channels[0]!)).toBeGreaterThan(10 * window(dry.channels[0]!));
    // After the pedal is released (2 s) the damper stops the string.
    expect(rms(held.channels[0]!, Math.round(2.46 * RATE), Math.round(2.6 * RATE))).toBeLessThan(
      0.1 * window(held.channels[0]!),
    );
    const plan = planVoices(
      perf(notes, [
        { kind: 'sustain', time: 0.05, value: 127 },
        { kind: 'sustain', time: 2, value: 0 },
      ]),
    );
    expect(plan[0]!.stopAt).toBe(2);
  });

  it('soft pedal makes the same note softer', async () => {
    const notes = [note(60, 0, 1, 90)];
    const normal = await renderWithSampler(perf(notes), { sampleRate: RATE, channels: 1 });
    const soft = await renderWithSampler(perf(notes, [{ kind: 'soft', time: 0, value: 127 }]), {
      sampleRate: RATE,
      channels: 1,
    });
    expect(rms(soft.channels[0]!, 0, RATE)).toBeLessThan(0.85 * rms(normal.channels[0]!, 0, RATE));
  });

  it('limits voices by stealing the oldest', () => {
    const notes = Array.from({ length: 10 }, (_, i) => note(40 + i * 3, i * 0.1, 5));
    const plan = planVoices(perf(notes), { maxVoices: 4 });
    const stolen = plan.filter((v) => v.stopAt < 5);
    expect(stolen.length).toBe(6);
    expect(stolen.map((v) => v.noteIndex)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('segment renders summed at their starts equal the whole render', async () => {
    const notes = [note(60, 0, 0.4), note(64, 0.3, 0.8), note(55, 1.0, 1.5), note(72, 1.2, 2.0)];
    const p = perf(notes, [
      { kind: 'sustain', time: 0.2, value: 100 },
      { kind: 'sustain', time: 1.1, value: 0 },
    ]);
    const options = { sampleRate: RATE, channels: 2 as const, room: 'room' as const };
    const whole = await renderWithSampler(p, options);
    const first = await renderWithSampler(p, { ...options, noteIndices: [0, 1], from: 0 });
    const second = await renderWithSampler(p, { ...options, noteIndices: [2, 3], from: 1.0 });
    for (let c = 0; c < 2; c++) {
      const sum = assembleSegments(
        [
          { start: 0, audio: first.channels[c]! },
          { start: 1.0, audio: second.channels[c]! },
        ],
        RATE,
        'sum',
        {
          totalSeconds: whole.channels[c]!.length / RATE,
        },
      );
      let maxDiff = 0;
      for (let i = 0; i < sum.length; i++) maxDiff = Math.max(maxDiff, Math.abs(sum[i]! - whole.channels[c]![i]!));
      expect(maxDiff).toBeLessThan(1e-5);
    }
  });

  it('waveform peaks bound the signal and fit wavesurfer', async () => {
    const a = await renderWithSampler(perf([note(60, 0, 0.5)]), { sampleRate: RATE, channels: 2 });
    const peaks = computePeaks(a.channels, RATE, 50);
    expect(peaks.max[0]!.length).toBe(Math.ceil((a.channels[0]!.length / RATE) * 50));
    const [upper, lower] = wavesurferPeaks(peaks);
    const x = a.channels[0]!;
    for (let b = 0; b < upper.length; b++) {
      for (let i = Math.floor((b * RATE) / 50); i < Math.min(x.length, Math.floor(((b + 1) * RATE) / 50)); i++) {
        expect(x[i]!).toBeLessThanOrEqual(upper[b]!);
        expect(x[i]!).toBeGreaterThanOrEqual(lower[b]!);
      }
    }
  });
});
