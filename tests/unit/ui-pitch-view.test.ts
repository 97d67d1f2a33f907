// The roll's vertical zoom: fit, zoom around the pointer's key, scroll, always inside the piano.
import { describe, expect, it } from 'vitest';
import {
  clampPitchView,
  pianoBounds,
  pitchAtY,
  scrollPitches,
  zoomPitches,
} from '../../renderer/src/lib/pianoroll/pitch-view';

const piano = pianoBounds(30, 90);

describe('pitch view', () => {
  it('zooms around the anchor key, never below an octave', () => {
    const zoomed = zoomPitches({ low: 30, high: 90 }, 2, 60, piano);
    expect(zoomed).toEqual({ low: 45, high: 75 });
    let view = zoomed;
    for (let i = 0; i < 10; i++) view = zoomPitches(view, 2, 60, piano);
    expect(view.high - view.low).toBe(11);
    expect(view.low).toBeLessThanOrEqual(60);
    expect(view.high).toBeGreaterThanOrEqual(60);
  });

  it('zooms out to the whole keyboard at most, and scrolls within it', () => {
    expect(zoomPitches({ low: 30, high: 90 }, 0.1, 60, piano)).toEqual({ low: 21, high: 108 });
    expect(scrollPitches({ low: 45, high: 75 }, 100, piano)).toEqual({ low: 78, high: 108 });
    expect(scrollPitches({ low: 45, high: 75 }, -100, piano)).toEqual({ low: 21, high: 51 });
    expect(clampPitchView({ low: 50, high: 52 }, piano)).toEqual({ low: 50, high: 61 });
  });

  it('finds the key under the pointer', () => {
    expect(pitchAtY({ low: 48, high: 59 }, 0, 10)).toBe(59);
    expect(pitchAtY({ low: 48, high: 59 }, 115, 10)).toBe(48);
    expect(pitchAtY({ low: 48, high: 59 }, 500, 10)).toBe(48);
  });
});
