import {
  computePeaks,
  encodeAudio,
  measureLoudness,
  renderWithSampler,
  ROOM_PRESETS,
  type RoomPreset,
} from '../../audio';
import type { RenderedSegment, SegmentWork } from '../../library';
import type { RenderPlan } from './plan';

export const SAMPLER_RATE = 48000;

/** The sampled grand has no prompt to imitate; a performer's room tag picks its reverb. */
export function samplerRoom(plan: RenderPlan): RoomPreset {
  const room = plan.performer.tags.room?.toLowerCase() ?? '';
  return ROOM_PRESETS.find((preset) => room.includes(preset)) ?? 'dry';
}

export function peaksBlob(channels: Float32Array[], sampleRate: number): Uint8Array {
  const peaks = computePeaks(channels, sampleRate, 100);
  const min = Array.from(peaks.min[0] ?? [], (v, i) => Math.min(v, ...peaks.min.map((c) => c[i] ?? 0)));
  const max = Array.from(peaks.max[0] ?? [], (v, i) => Math.max(v, ...peaks.max.map((c) => c[i] ?? 0)));
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  return new TextEncoder().encode(JSON.stringify({ pointsPerSecond: 100, min: min.map(round), max: max.map(round) }));
}

/**
 * Renders one segment with the sampled grand: the notes that start in it, from its start, with their
 * tails ringing past its end. The sampler is linear, so segment renders summed at their starts
 * equal a render of the whole piece.
 */
export async function renderSamplerSegment(plan: RenderPlan, work: SegmentWork): Promise<RenderedSegment> {
  const segment = plan.segments[work.segment.index]!;
  const audio = await renderWithSampler(plan.performance, {
    sampleRate: SAMPLER_RATE,
    channels: 2,
    room: samplerRoom(plan),
    noteIndices: segment.noteIndices,
    from: segment.start,
    signal: work.signal,
  });
  const loudness = measureLoudness(audio).integrated;
  return {
    audio: await encodeAudio(audio, { format: 'wav', bitDepth: 32, sampleRate: SAMPLER_RATE }),
    audioFormat: 'wav',
    sampleRate: SAMPLER_RATE,
    channels: 2,
    duration: audio.channels[0]!.length / SAMPLER_RATE,
    peaks: peaksBlob(audio.channels, SAMPLER_RATE),
    loudnessLufs: Number.isFinite(loudness) ? loudness : null,
  };
}
