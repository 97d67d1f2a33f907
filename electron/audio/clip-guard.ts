// Full scale per export format: where a sample stops being representable. An export must keep every
// sample under it (or keep overs knowingly, in 32-bit float), so the guard needs two numbers: the
// largest value safe to hand to the encoder, and the decoded value that shows a file reached full scale.
import type { ExportFormat } from './encode';

/**
 * Largest |sample| that stays under the top code after encoding: integer formats round to the nearest
 * code (16-bit adds ±1 LSB of TPDF dither), so a margin of 3 LSB keeps off the top code; float has
 * no top code below 1. MP3 is decoded to 16 bits by most players, so it gets the 16-bit margin.
 */
export function encoderPeakLimit(format: ExportFormat, bitDepth: 16 | 24 | 32 | undefined): number {
  if (format === 'mp3') return 1 - 3 / 32768;
  const bits = bitDepth ?? 16;
  if (format === 'wav' && bits === 32) return 1;
  return 1 - 3 / 2 ** (bits - 1);
}

/** A decoded sample at or above this magnitude sits at (or beyond) full scale in that format. */
export function fullScaleOf(format: ExportFormat, bitDepth: 16 | 24 | 32 | undefined): number {
  if (format === 'mp3') return 1 - 1 / 32768;
  const bits = bitDepth ?? 16;
  if (format === 'wav' && bits === 32) return 1;
  return 1 - 1 / 2 ** (bits - 1);
}

/** Samples of `channels` at or beyond `limit` in magnitude. */
export function countAtOrBeyond(channels: readonly Float32Array[], limit: number): number {
  let count = 0;
  for (const c of channels) for (let i = 0; i < c.length; i++) if (Math.abs(c[i]!) >= limit) count++;
  return count;
}
