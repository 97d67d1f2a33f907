// Musical position ↔ performance time through a sampled alignment map (the Works view's player).
import { describe, expect, it } from 'vitest';
import { barBeatAt, barSpan, toPerf, toRef } from '../../renderer/src/lib/works/time-map';

// a performance that starts 1 s late and plays the middle twice as slow
const map = [
  [1, 0],
  [3, 2],
  [7, 4],
  [9, 6],
] as const;
const beats = { times: [0, 1, 2, 3, 4, 5], bars: [1, 1, 2, 2, 3, 3], beatInBar: [1, 2, 1, 2, 1, 2] };

describe('time map in the renderer', () => {
  it('maps both ways, piecewise linearly, and one-for-one outside', () => {
    expect(toPerf(map, 3)).toBe(5);
    expect(toRef(map, 5)).toBe(3);
    expect(toRef(map, toPerf(map, 2.7))).toBeCloseTo(2.7, 12);
    expect(toPerf(map, -1)).toBe(0);
    expect(toRef(map, 10)).toBe(7);
    expect(toPerf([], 4)).toBe(4);
  });

  it('switching performances keeps the bar: A’s bar 2 is B’s bar 2', () => {
    const other = [
      [0, 0],
      [6, 6],
    ] as const; // B plays at the score's tempo
    const a = toPerf(map, 2); // A at the start of bar 2
    expect(toPerf(other, toRef(map, a))).toBe(2);
  });

  it('names the bar and beat at a reference time, and the time span of a bar range', () => {
    expect(barBeatAt(beats, 3.5)).toEqual({ bar: 2, beat: 2 });
    expect(barBeatAt(beats, -1)).toEqual({ bar: 1, beat: 1 });
    expect(barSpan(beats, 2, 2)).toEqual([2, 4]);
    expect(barSpan(beats, 2, 3)).toEqual([2, 6]);
    expect(barSpan(beats, 9, 9)).toBeUndefined();
  });
});
