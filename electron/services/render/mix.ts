import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../../shared/atomic-write';
import { assembleSegments, decodeAudio, encodeAudio, measureLoudness, truePeakDb, type AudioData } from '../../audio';
import { chosenTakes, type Library, type RenderRecord, type TakeRecord } from '../../library';
import { samplerRenderLength } from './sampler-match';
import { peaksBlob } from './take-audio';
import type { RenderPlan } from './plan';

/** The assembled render: derived from the chosen takes, so it is cached, not kept as library data. */
export interface MixInfo {
  signature: string;
  audio: string; // blob hash of a float WAV
  duration: number;
  sampleRate: number;
  loudness: number;
  truePeak: number;
  peaks: { pointsPerSecond: number; min: number[]; max: number[] };
  /** Short-term loudness (400 ms blocks, 100 ms hop) for comparison curves. */
  curve: number[];
}

/** The take each segment plays in the mix: its chosen one. Undefined while a segment has none. */
export function playedTakes(lib: Library, renderId: string): TakeRecord[] | undefined {
  const rows = chosenTakes(lib, renderId);
  return rows.every((r) => r.take) ? rows.map((r) => r.take!) : undefined;
}

const NEURAL_TAIL_SECONDS = 1;

const cacheFile = (lib: Library, renderId: string) => join(lib.home, 'mixes', `${renderId}.json`);

/** Joins the chosen takes: the sampled grand's segments add up exactly; neural ones are cross-faded. */
export async function assembleMix(
  lib: Library,
  render: RenderRecord,
  plan: RenderPlan,
  takes: TakeRecord[],
): Promise<AudioData> {
  const decoded = await Promise.all(takes.map((t) => decodeAudio(lib.getBlob(t.audioHash), `take ${t.id}.wav`)));
  const sampleRate = decoded[0]!.sampleRate;
  const channelCount = Math.max(...decoded.map((a) => a.channels.length));
  // The sampled grand's length rule (last note-off or pedal release, plus tail and room) keeps the mix
  // exactly as long as a render of the whole piece; neural segments get one second to ring out.
  const totalSeconds =
    render.engine === 'sampler'
      ? samplerRenderLength(lib, render, plan)
      : plan.performance.duration + NEURAL_TAIL_SECONDS;
  const channels = Array.from({ length: channelCount }, (_, c) =>
    assembleSegments(
      decoded.map((audio, i) => ({ start: plan.segments[i]!.start, audio: audio.channels[c] ?? audio.channels[0]! })),
      sampleRate,
      render.engine === 'sampler' ? 'sum' : 'crossfade',
      { totalSeconds },
    ),
  );
  return { sampleRate, channels };
}

export async function renderMix(lib: Library, render: RenderRecord, plan: RenderPlan): Promise<MixInfo | undefined> {
  const takes = playedTakes(lib, render.id);
  if (!takes) return undefined;
  const signature = createHash('sha256')
    .update(takes.map((t) => t.audioHash).join(','))
    .digest('hex');
  const file = cacheFile(lib, render.id);
  if (existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as MixInfo;
    if (cached.signature === signature && lib.blobs.has(cached.audio)) return cached;
  }
  const mix = await assembleMix(lib, render, plan, takes);
  const report = measureLoudness(mix);
  const info: MixInfo = {
    signature,
    audio: lib.putBlob(await encodeAudio(mix, { format: 'wav', bitDepth: 32 })),
    duration: mix.channels[0]!.length / mix.sampleRate,
    sampleRate: mix.sampleRate,
    loudness: Number.isFinite(report.integrated) ? report.integrated : -70,
    truePeak: truePeakDb(mix),
    peaks: JSON.parse(new TextDecoder().decode(peaksBlob(mix.channels, mix.sampleRate))) as MixInfo['peaks'],
    curve: Array.from(report.blockLoudness, (v) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : -70)),
  };
  writeFileAtomicSync(file, JSON.stringify(info));
  return info;
}
