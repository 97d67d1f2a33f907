// Does the prompt's MIDI line up with its recording? Onsets are compared, not notes: the recording's
// spectral flux against the flux of the dry grand playing the MIDI. A MIDI file shifted against its
// audio, or audio that is not piano, correlates poorly at the prompt's own timing.
import type { ProfileAlignment } from './profile';

/** Half-wave rectified log-spectral flux per frame, from a (frame, band) dB spectrogram. */
export function onsetEnvelope(db: Float64Array, frames: number, bands: number): Float64Array {
  const out = new Float64Array(frames);
  for (let t = 1; t < frames; t++) {
    let sum = 0;
    for (let b = 0; b < bands; b++) sum += Math.max(0, db[t * bands + b]! - db[(t - 1) * bands + b]!);
    out[t] = sum;
  }
  return out;
}

function correlation(x: Float64Array, y: Float64Array, lag: number): number {
  const n = Math.min(x.length, y.length);
  let mx = 0;
  let my = 0;
  for (let t = 0; t < n; t++) {
    mx += x[t]!;
    my += y[t]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let t = 0; t < n; t++) {
    const a = x[t]! - mx;
    const s = t - lag;
    const b = s >= 0 && s < n ? y[s]! - my : 0;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** Alignment of a recording (x) with the grand's render of its MIDI (y): below this score the fit is doubtful. */
export const MIN_ALIGNMENT_SCORE = 0.4;
/** MIDI further off than this from where its onsets fit best is flagged. */
export const MAX_LAG_SECONDS = 0.05;
/** Timing slack of a "lined up" MIDI: two frames of 10 ms either way. */
const TOLERANCE_FRAMES = 2;
const SEARCH_SECONDS = 0.5;

export function measureAlignment(recording: Float64Array, render: Float64Array, hopSeconds: number): ProfileAlignment {
  const search = Math.round(SEARCH_SECONDS / hopSeconds);
  let best = -Infinity;
  let bestLag = 0;
  let atZero = -Infinity;
  for (let lag = -search; lag <= search; lag++) {
    const c = correlation(recording, render, lag);
    if (c > best) {
      best = c;
      bestLag = lag;
    }
    if (Math.abs(lag) <= TOLERANCE_FRAMES) atZero = Math.max(atZero, c);
  }
  const score = Math.max(0, atZero);
  const lagMs = Math.round(bestLag * hopSeconds * 1000);
  const shifted = Math.abs(lagMs) > MAX_LAG_SECONDS * 1000 && best > score + 0.05;
  const weak = score < MIN_ALIGNMENT_SCORE;
  const warning = shifted
    ? `the prompt MIDI seems ${Math.abs(lagMs)} ms ${lagMs > 0 ? 'early' : 'late'} against its recording (alignment ${score.toFixed(2)}); the profile is low-confidence — check that the MIDI and audio are of the same take and start together`
    : weak
      ? `the prompt MIDI and its recording line up poorly (alignment ${score.toFixed(2)}; is it piano, and the same take?); the profile is low-confidence`
      : null;
  return { score: Math.round(score * 1000) / 1000, lagMs, lowConfidence: shifted || weak, warning };
}
