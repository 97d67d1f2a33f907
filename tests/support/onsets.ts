// Test-only onset detector: log-magnitude spectral flux (hop 4 ms, 16 ms Hann window) with an
// adaptive threshold and peak picking. Written for the audio acceptance tests, not product code.

/** In-place iterative radix-2 FFT (re/im arrays of a power-of-two length). */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a]! += tr;
        im[a]! += ti;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

export function detectOnsets(x: Float32Array, sampleRate: number, gamma = 10000, rel = 0.3): number[] {
  const win = 512;
  const hop = Math.round(sampleRate * 0.004);
  const window = Float64Array.from({ length: win }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / win));
  const frames = Math.max(0, Math.floor((x.length - win) / hop));
  const bins = win / 2;
  let previous = new Float64Array(bins);
  const flux = new Float64Array(frames);
  const re = new Float64Array(win);
  const im = new Float64Array(win);
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < win; i++) {
      re[i] = x[f * hop + i]! * window[i]!;
      im[i] = 0;
    }
    fft(re, im);
    const mag = new Float64Array(bins);
    let sum = 0;
    for (let k = 1; k < bins; k++) {
      mag[k] = Math.log1p(gamma * Math.hypot(re[k]!, im[k]!));
      const d = mag[k]! - previous[k]!;
      if (d > 0) sum += d;
    }
    flux[f] = sum;
    previous = mag;
  }
  // Adaptive threshold: local mean over ±100 ms plus a fraction of the global level.
  let globalMean = 0;
  for (const v of flux) globalMean += v / Math.max(1, frames);
  const span = Math.round(0.1 / 0.004);
  const onsets: number[] = [];
  let lastOnset = -Infinity;
  for (let f = 1; f < frames - 1; f++) {
    const v = flux[f]!;
    if (!(v >= flux[f - 1]! && v > flux[f + 1]!)) continue;
    let local = 0;
    let count = 0;
    for (let k = Math.max(0, f - span); k <= Math.min(frames - 1, f + span); k++) {
      local += flux[k]!;
      count++;
    }
    if (v < local / count + rel * globalMean) continue;
    // A frame's time: its window centre sits where the new energy has fully entered.
    const time = (f * hop + win / 2) / sampleRate;
    if (time - lastOnset < 0.025) continue;
    onsets.push(time);
    lastOnset = time;
  }
  return onsets;
}

/** Groups MIDI onsets closer than `within` seconds into one event (chords, rolled notes). */
export function onsetEvents(onsets: number[], within = 0.03): number[] {
  const sorted = [...onsets].sort((a, b) => a - b);
  const events: number[] = [];
  for (const t of sorted) if (events.length === 0 || t - events[events.length - 1]! > within) events.push(t);
  return events;
}
