// Waveform overview data. For each channel and each of `pointsPerSecond`-per-second bins we keep the
// minimum and maximum sample, which draws the true envelope at any zoom coarser than the bins.
//
// wavesurfer.js v7 takes `peaks: Array<Float32Array | number[]>` plus `duration`; without
// splitChannels it draws |peaks[0][i]| above the centre line and |peaks[1][i]| below it. So
// `wavesurferPeaks(p)` returns [max over channels, min over channels] for one combined lane, and
// with splitChannels pass one array per channel (e.g. p.max) instead.
export interface WaveformPeaks {
  sampleRate: number;
  pointsPerSecond: number;
  /** Seconds covered (the audio's duration). */
  duration: number;
  /** Per channel: minimum sample of each bin (≤ 0 for audio around zero). */
  min: Float32Array[];
  /** Per channel: maximum sample of each bin. */
  max: Float32Array[];
}

export function computePeaks(channels: Float32Array[], sampleRate: number, pointsPerSecond = 100): WaveformPeaks {
  const frames = channels[0]?.length ?? 0;
  const duration = frames / sampleRate;
  const bins = Math.max(1, Math.ceil(duration * pointsPerSecond));
  const min: Float32Array[] = [];
  const max: Float32Array[] = [];
  for (const channel of channels) {
    const lo = new Float32Array(bins);
    const hi = new Float32Array(bins);
    for (let b = 0; b < bins; b++) {
      const from = Math.floor((b * sampleRate) / pointsPerSecond);
      const to = Math.min(frames, Math.floor(((b + 1) * sampleRate) / pointsPerSecond));
      let mn = 0;
      let mx = 0;
      for (let i = from; i < to; i++) {
        const v = channel[i]!;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      lo[b] = mn;
      hi[b] = mx;
    }
    min.push(lo);
    max.push(hi);
  }
  return { sampleRate, pointsPerSecond, duration, min, max };
}

/** [upper, lower] arrays for wavesurfer.js v7 `peaks` (one combined lane; pass `duration` too). */
export function wavesurferPeaks(peaks: WaveformPeaks): [Float32Array, Float32Array] {
  const bins = peaks.max[0]?.length ?? 0;
  const upper = new Float32Array(bins);
  const lower = new Float32Array(bins);
  for (let c = 0; c < peaks.max.length; c++) {
    for (let b = 0; b < bins; b++) {
      upper[b] = Math.max(upper[b]!, peaks.max[c]![b]!);
      lower[b] = Math.min(lower[b]!, peaks.min[c]![b]!);
    }
  }
  return [upper, lower];
}
