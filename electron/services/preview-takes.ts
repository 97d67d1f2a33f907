// The preview of a render that is still running: segments that already have a chosen take play
// that take, the rest is played by the sampled grand, window by window. Takes are decoded once
// (a few kept in memory) and summed at their segments' starts, as the sampled grand's mix does.
import { decodeAudio, renderWithSampler, resample, type AudioData } from '../audio';
import { chosenTakes, getRender, type Library } from '../library';
import { StudioFailure } from '../contract';
import { planOf } from './render/plan';

const KEPT_TAKES = 8;
const decoded = new Map<string, AudioData>();

async function takeAudio(lib: Library, hash: string, rate: number): Promise<AudioData> {
  let audio = decoded.get(hash);
  if (!audio) {
    const raw = await decodeAudio(lib.getBlob(hash), 'take.wav');
    audio = raw.sampleRate === rate ? raw : await resample(raw, rate);
    decoded.set(hash, audio);
    if (decoded.size > KEPT_TAKES) decoded.delete(decoded.keys().next().value!);
  }
  return audio;
}

/** Window [from, to) of render `renderId` of piece `pieceId`: its takes where it has them, else the sampler. */
export async function renderWindow(
  lib: Library,
  pieceId: string,
  renderId: string,
  from: number,
  to: number,
  rate: number,
): Promise<{ audio: AudioData; fromRender: number[] }> {
  const render = getRender(lib, renderId);
  if (render.pieceId !== pieceId)
    throw new StudioFailure('invalid-argument', `render ${renderId} is not of this piece`);
  const plan = planOf(lib, render);
  const rows = chosenTakes(lib, renderId);
  const pending = rows.filter((r) => !r.take).flatMap((r) => plan.segments[r.segment.index]?.noteIndices ?? []);
  const audio = await renderWithSampler(plan.performance, {
    sampleRate: rate,
    channels: 2,
    from,
    to,
    noteIndices: pending,
  });
  const frames = audio.channels[0]!.length;
  const fromRender: number[] = [];
  for (const { segment, take } of rows) {
    if (!take || segment.start >= to) continue;
    const source = await takeAudio(lib, take.audioHash, rate);
    const offset = Math.round((from - segment.start) * rate); // where the window starts in the take
    const length = source.channels[0]!.length;
    if (offset >= length) continue;
    if (segment.start < to && segment.end > from) fromRender.push(segment.index);
    audio.channels.forEach((out, c) => {
      const input = source.channels[c] ?? source.channels[0]!;
      for (let o = Math.max(0, -offset); o < frames && o + offset < length; o++) out[o]! += input[o + offset]!;
    });
  }
  return { audio, fromRender };
}
