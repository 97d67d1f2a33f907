// Note colours: a hue per hand, lightness by velocity band. Kept as RGB so the pixel renderer can
// pack them, with CSS strings for the path renderer.
export type Rgb = [number, number, number];

export const VELOCITY_BANDS = 6;

export function hslToRgb(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** Soft notes pale, loud notes saturated and dark. */
export const rampColours = (hue: number): Rgb[] =>
  Array.from({ length: VELOCITY_BANDS }, (_, i) => hslToRgb(hue, (45 + i * 8) / 100, (70 - i * 7) / 100));

export const css = ([r, g, b]: Rgb): string => `rgb(${r} ${g} ${b})`;

/** ABGR as a little-endian Uint32 view of RGBA ImageData expects. */
export const packed = ([r, g, b]: Rgb): number => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;

export const velocityBand = (velocity: number): number =>
  Math.min(VELOCITY_BANDS - 1, (velocity * VELOCITY_BANDS) >> 7);
