// The instant preview: windows of a piece played by the sampled grand, so a pianist hears the MIDI
// as soon as it is open and while any render runs. Windows are cut exactly from the whole (dry)
// render, so a player that schedules them back to back plays the piece without seams.
import { encodeAudio, renderWithSampler, samplerRenderSeconds, type AudioData } from '../audio';
import { getPerformer, getPiece } from '../library';
import type { Performance } from '../shared/performance';
import type { Handler } from './handlers';
import { piecePerformance } from './render/plan';
import { renderWindow } from './preview-takes';

const PREVIEW_RATE = 48000;

// The last piece previewed: a player asks for window after window of the same piece.
let cached: { pieceId: string; midiHash: string; performance: Performance; end: number } | undefined;

export const piecesPreview: Handler<'pieces.preview'> = async (args, ctx) => {
  const lib = ctx.library();
  const piece = getPiece(lib, args.pieceId);
  if (args.performerId) getPerformer(lib, args.performerId); // a removed performer is a clear error, not silence
  if (cached?.pieceId !== piece.id || cached.midiHash !== piece.midiHash) {
    const performance = piecePerformance(lib, piece);
    cached = { pieceId: piece.id, midiHash: piece.midiHash, performance, end: samplerRenderSeconds(performance) };
  }
  const { performance, end } = cached;
  const from = Math.min(args.fromSec, end);
  const to = Math.min(end, from + args.durationSec);
  // Past the end (a playhead parked there) the answer is a moment of silence marked last.
  let fromRender: number[] = [];
  let audio: AudioData = { sampleRate: PREVIEW_RATE, channels: [new Float32Array(480), new Float32Array(480)] };
  if (to - from >= 0.01 && args.renderId)
    ({ audio, fromRender } = await renderWindow(lib, piece.id, args.renderId, from, to, PREVIEW_RATE));
  else if (to - from >= 0.01)
    audio = await renderWithSampler(performance, { sampleRate: PREVIEW_RATE, channels: 2, from, to });
  const wav = await encodeAudio(audio, { format: 'wav', bitDepth: 16, sampleRate: PREVIEW_RATE, dither: false });
  return {
    fromSec: from,
    durationSec: to - from,
    last: to >= end - 1e-6,
    sampleRate: PREVIEW_RATE,
    wavBase64: Buffer.from(wav).toString('base64'),
    fromRender,
  };
};
