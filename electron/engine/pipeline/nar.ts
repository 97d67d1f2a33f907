// NAR stages 1..3 (greedy, in-graph argmax): each stage predicts one more quantizer for every generated
// frame of every batch row at once (midi-valle-model.md §3.3). Frames past a row's own length are padding:
// zero codes, blocked in the key-padding mask, their predictions ignored.
import type { OrtSession } from '../runtime/ort';
import { narMask } from './masks';
import { asInt32, float32Tensor, int64Tensor } from './tensors';

export interface NarBatch {
  xn: Float32Array;
  S: number;
  dModel: number;
  midiRows: number[];
  /** Prompt codes [Tp,4] shared by all rows. */
  prompt: Int32Array;
  promptFrames: number;
  /** Generated q0 of each row. */
  q0: number[][];
}

export const QUANTIZERS = 4;

/** Returns each row's codes, row-major [frames, 4]. */
export async function runNar(
  session: OrtSession,
  batch: NarBatch,
  onStage: (stage: number) => void,
): Promise<Int32Array[]> {
  const B = batch.q0.length;
  const Tp = batch.promptFrames;
  const lengths = batch.q0.map((q) => q.length);
  const T = Tp + Math.max(...lengths);
  const codes = new Int32Array(B * T * QUANTIZERS);
  for (let b = 0; b < B; b++) {
    const base = b * T * QUANTIZERS;
    codes.set(batch.prompt, base);
    batch.q0[b]!.forEach((token, i) => (codes[base + (Tp + i) * QUANTIZERS] = token));
  }
  const mask = float32Tensor(
    narMask(
      batch.midiRows,
      batch.S,
      lengths.map((n) => Tp + n),
      T,
    ),
    [B, 1, 1, batch.S + T],
  );
  const xn = float32Tensor(batch.xn, [B, batch.S, batch.dModel]);
  for (let stage = 1; stage < QUANTIZERS; stage++) {
    onStage(stage);
    const out = await session.run({
      xn,
      codes: int64Tensor(codes, [B, T, QUANTIZERS]),
      prompt_frames: int64Tensor([Tp], [1]),
      stage: int64Tensor([stage], [1]),
      mask,
    });
    const q = asInt32(out.q, 'q');
    for (let b = 0; b < B; b++) {
      for (let t = Tp; t < Tp + lengths[b]!; t++) codes[(b * T + t) * QUANTIZERS + stage] = q[b * T + t]!;
    }
  }
  return lengths.map((n, b) => codes.slice((b * T + Tp) * QUANTIZERS, (b * T + Tp + n) * QUANTIZERS));
}
