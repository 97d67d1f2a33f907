// Additive attention masks exactly as docs/model-pack.md "Masks, exactly" (0 = attend, −1e9 = blocked).
// Batch rows share one layout: [MIDI block padded to S | audio block], so `midiRows[b]` ≤ S says which
// MIDI slots of row b are real.

export const BLOCKED = -1e9;

/** Prefill mask [B,1,N,N], N = S + audioFrames. */
export function prefillMask(midiRows: number[], S: number, audioFrames: number): Float32Array {
  const B = midiRows.length;
  const N = S + audioFrames;
  const mask = new Float32Array(B * N * N).fill(BLOCKED);
  for (let b = 0; b < B; b++) {
    const real = midiRows[b]!;
    const base = b * N * N;
    for (let q = 0; q < N; q++) {
      const row = base + q * N;
      if (q < S && q >= real) {
        mask[row + q] = 0; // a padded MIDI query sees only itself (keeps softmax finite)
        continue;
      }
      for (let k = 0; k < real; k++) mask[row + k] = 0; // every real query sees the real MIDI keys
      if (q >= S) for (let k = S; k <= q; k++) mask[row + k] = 0; // audio queries: causal over audio
    }
  }
  return mask;
}

/**
 * Mask of T new rows after a cache, [B,1,T,C+T]: each new row sees the `filled` cache slots (MIDI block padded
 * to S, then audio frames; padded MIDI slots and empty slots blocked) and the new rows up to itself. T = 1 is
 * a plain step; T > 1 verifies drafted frames (speculative decoding).
 */
export function stepMask(midiRows: number[], S: number, filled: number, capacity: number, T = 1): Float32Array {
  const B = midiRows.length;
  const width = capacity + T;
  const mask = new Float32Array(B * T * width).fill(BLOCKED);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const base = (b * T + t) * width;
      for (let k = 0; k < midiRows[b]!; k++) mask[base + k] = 0;
      for (let k = S; k < filled; k++) mask[base + k] = 0;
      for (let j = 0; j <= t; j++) mask[base + capacity + j] = 0;
    }
  }
  return mask;
}

/** NAR key-padding mask [B,1,1,S+T]: real MIDI slots and each row's real audio frames. */
export function narMask(midiRows: number[], S: number, audioFrames: number[], T: number): Float32Array {
  const B = midiRows.length;
  const width = S + T;
  const mask = new Float32Array(B * width).fill(BLOCKED);
  for (let b = 0; b < B; b++) {
    const base = b * width;
    for (let k = 0; k < midiRows[b]!; k++) mask[base + k] = 0;
    for (let t = 0; t < audioFrames[b]!; t++) mask[base + S + t] = 0;
  }
  return mask;
}
