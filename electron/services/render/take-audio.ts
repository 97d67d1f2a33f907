import { computePeaks, encodeAudio, measureLoudness, type AudioData, type ExportSampleRate } from '../../audio';
import type { RenderedSegment } from './engine-binding';

/** Waveform peaks of all channels folded to one min/max pair per point, as the contract's Peaks. */
export function peaksBlob(channels: Float32Array[], sampleRate: number): Uint8Array {
  const peaks = computePeaks(channels, sampleRate, 100);
  const min = Array.from(peaks.min[0] ?? [], (v, i) => Math.min(v, ...peaks.min.map((c) => c[i] ?? 0)));
  const max = Array.from(peaks.max[0] ?? [], (v, i) => Math.max(v, ...peaks.max.map((c) => c[i] ?? 0)));
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  return new TextEncoder().encode(JSON.stringify({ pointsPerSecond: 100, min: min.map(round), max: max.map(round) }));
}

/** A take as the library stores it: float WAV (lossless, so exports lose nothing), peaks and loudness. */
export async function takeFromAudio(audio: AudioData): Promise<RenderedSegment> {
  const loudness = measureLoudness(audio).integrated;
  return {
    audio: await encodeAudio(audio, { format: 'wav', bitDepth: 32, sampleRate: audio.sampleRate as ExportSampleRate }),
    audioFormat: 'wav',
    sampleRate: audio.sampleRate,
    channels: audio.channels.length,
    duration: audio.channels[0]!.length / audio.sampleRate,
    peaks: peaksBlob(audio.channels, audio.sampleRate),
    loudnessLufs: Number.isFinite(loudness) ? loudness : null,
  };
}
