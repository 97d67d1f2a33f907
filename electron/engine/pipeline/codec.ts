// Piano-Encodec through its two graphs. Segments are decoded one at a time (B = 1): the decoder's
// convolutions see neighbouring frames, so padding a shorter row would change its last samples.
import type { OrtSession } from '../runtime/ort';
import { QUANTIZERS } from './nar';
import { asFloat32, asInt32, float32Tensor, int64Tensor } from './tensors';
import type { PromptCodes } from './types';

/** 32 kHz mono samples → codes [frames, 4] (frames = ceil(N / hop)). */
export async function encodeAudio(session: OrtSession, samples: Float32Array): Promise<PromptCodes> {
  const out = await session.run({ wav: float32Tensor(samples, [1, 1, samples.length]) });
  const planar = asInt32(out.codes, 'codes'); // [1,4,F]
  const frames = planar.length / QUANTIZERS;
  const codes = new Int32Array(frames * QUANTIZERS);
  for (let q = 0; q < QUANTIZERS; q++)
    for (let f = 0; f < frames; f++) codes[f * QUANTIZERS + q] = planar[q * frames + f]!;
  return { codes, frames };
}

/** Codes [frames, 4] → 32 kHz mono samples (hop samples a frame). */
export async function decodeCodes(session: OrtSession, codes: Int32Array): Promise<Float32Array> {
  const frames = codes.length / QUANTIZERS;
  if (frames === 0) return new Float32Array(0);
  const planar = new Int32Array(codes.length);
  for (let f = 0; f < frames; f++)
    for (let q = 0; q < QUANTIZERS; q++) planar[q * frames + f] = codes[f * QUANTIZERS + q]!;
  const out = await session.run({ codes: int64Tensor(planar, [1, QUANTIZERS, frames]) });
  return asFloat32(out.wav, 'wav');
}
