// Joins: our aligned equal-power cross-fade leaves no gap or click at the boundaries; the official
// MIDI-VALLE modes behave as concat_wavform.py describes (lengths shrink by the overlap per join).
import { describe, expect, it } from 'vitest';
import { assembleSegments, type SegmentPiece } from '../../electron/audio/join';

const RATE = 32000;
/** A piano-like test signal: repeated decaying partials, never silent (a gap would show). */
function continuous(seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => {
    const t = i / RATE;
    const local = t % 0.7;
    return (
      0.3 * Math.sin(2 * Math.PI * 261.6 * t) * (0.4 + Math.exp(-local * 5)) + 0.1 * Math.sin(2 * Math.PI * 523.2 * t)
    );
  });
}
/** Cuts [start, end + overlap) pieces out of `x`; `jitter` shifts a piece's content by some samples (a model's timing error). */
function cut(x: Float32Array, bounds: number[], overlap: number, jitter: number[] = []): SegmentPiece[] {
  return bounds.slice(0, -1).map((start, k) => {
    const from = Math.round(start * RATE);
    const to = Math.min(x.length, Math.round((bounds[k + 1]! + overlap) * RATE));
    const shift = jitter[k] ?? 0;
    const audio = new Float32Array(to - from);
    for (let i = 0; i < audio.length; i++) audio[i] = x[from + i - shift] ?? 0;
    return { start, audio };
  });
}
const maxJump = (x: Float32Array, from: number, to: number) => {
  let m = 0;
  for (let i = Math.max(1, from); i < Math.min(x.length, to); i++) m = Math.max(m, Math.abs(x[i]! - x[i - 1]!));
  return m;
};
const minEnvelope = (x: Float32Array, from: number, to: number, win = 320) => {
  let m = Infinity;
  for (let i = from; i + win <= to; i += win / 4) {
    let s = 0;
    for (let k = 0; k < win; k++) s += x[i + k]! ** 2;
    m = Math.min(m, Math.sqrt(s / win));
  }
  return m;
};

describe('assembleSegments', () => {
  const x = continuous(6);
  const bounds = [0, 2, 4, 6];

  it('crossfade: no gap and no click at the boundaries, timing kept', () => {
    const mix = assembleSegments(cut(x, bounds, 0.2), RATE, 'crossfade', { totalSeconds: 6 });
    expect(mix.length).toBe(6 * RATE);
    const normalJump = maxJump(x, 0, x.length);
    for (const b of [2, 4]) {
      const at = b * RATE;
      expect(maxJump(mix, at - 800, at + 2000)).toBeLessThanOrEqual(normalJump * 1.05);
      expect(minEnvelope(mix, at - 800, at + 2000)).toBeGreaterThan(0.5 * minEnvelope(x, at - 800, at + 2000));
      let err = 0;
      for (let i = at - 800; i < at + 2000; i++) err = Math.max(err, Math.abs(mix[i]! - x[i]!));
      expect(err).toBeLessThan(1e-3);
    }
  });

  it('crossfade aligns a piece that is a few milliseconds late', () => {
    const pieces = cut(x, bounds, 0.2, [0, 40, 0]); // second piece 1.25 ms late
    const aligned = assembleSegments(pieces, RATE, 'crossfade');
    const at = 2 * RATE;
    // The late piece is pulled back into phase, so the hand-over is as smooth as the signal itself.
    expect(maxJump(aligned, at - 400, at + 2000)).toBeLessThanOrEqual(maxJump(x, 0, x.length) * 1.05);
    let err = 0;
    for (let i = at + 200; i < at + 900; i++) err = Math.max(err, Math.abs(aligned[i]! - x[i]!));
    expect(err).toBeLessThan(1e-3);
  });

  it('naive butt joins of the same pieces do click (the test can fail)', () => {
    const pieces = cut(x, bounds, 0, [0, 40, 0]);
    const mix = assembleSegments(pieces, RATE, 'mv-naive');
    expect(maxJump(mix, 2 * RATE - 10, 2 * RATE + 10)).toBeGreaterThan(maxJump(x, 0, x.length) * 1.2);
  });

  it('sum adds pieces at their starts and pads to the requested length', () => {
    const a = { start: 0, audio: new Float32Array(100).fill(0.25) };
    const b = { start: 50 / RATE, audio: new Float32Array(100).fill(0.5) };
    const mix = assembleSegments([a, b], RATE, 'sum', { totalSeconds: 200 / RATE });
    expect(mix.length).toBe(200);
    expect(mix[10]).toBe(0.25);
    expect(mix[60]).toBe(0.75);
    expect(mix[140]).toBe(0.5);
    expect(mix[190]).toBe(0);
  });

  it('official MIDI-VALLE modes shorten the mix by their overlap per join', () => {
    const pieces = cut(x, bounds, 0);
    const total = pieces.reduce((n, p) => n + p.audio.length, 0);
    expect(assembleSegments(pieces, RATE, 'mv-naive').length).toBe(total);
    expect(assembleSegments(pieces, RATE, 'mv-crossfade').length).toBe(total - 2 * 640);
    expect(assembleSegments(pieces, RATE, 'mv-fade').length).toBe(total - 2 * 1600);
    const concat = assembleSegments(pieces, RATE, 'mv-concat');
    expect(Math.abs(concat.length - (total - 2 * 2560))).toBeLessThanOrEqual(2 * 1280);
  });

  it('rejects unknown modes', () => {
    expect(() => assembleSegments([], RATE, 'zip' as never)).toThrow(/unknown join mode/);
  });
});
