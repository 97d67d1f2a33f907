// The AR stage (quantizer 0): prefill over [MIDI | prompt q0], then one frame per step until each batch
// row stops. Both use the same two graphs (docs/model-pack.md): ar_embed turns audio ids into embeddings at
// their positions and ar_decoder runs the transformer over new rows after an optional per-layer cache.
// Two implementations with identical stopping and sampling rules:
//  * runArCached: KV cache owned here (kv-cache.ts), each step feeds one new frame per row;
//  * runArFullRecompute: the official algorithm (midi-valle-model.md §3.2) — no cache, the whole sequence
//    re-run every step, one segment at a time. Correctness reference and bench baseline.
import { argmax, sampleToken, type SamplingOptions } from '../sampling/sampler';
import { mulberry32, type Prng } from '../sampling/prng';
import { arCachedStep, arWholePass, type ArSessions } from './ar-graphs';
import { KvCache } from './kv-cache';
import type { StopReason } from './types';
import type { ArLogitRows, KvCacheKind } from '../pack/expectations';

export type { ArSessions } from './ar-graphs';

export interface ArBatch {
  /** xa [B,S,D] from midi_embed. */
  xa: Float32Array;
  S: number;
  dModel: number;
  /** Real MIDI rows of each batch row (≤ S). */
  midiRows: number[];
  /** Prompt q0, [Tp], shared by every row (one performer a batch). */
  promptQ0: Int32Array;
  seeds: number[];
  /** Per-row frame caps (official 16·rows + 1, or lower). */
  caps: number[];
  capReasons: StopReason[];
  /** Frames the longest row is expected to reach (its segment's length): the KV cache reserves room for them. */
  expectedFrames?: number;
}

export interface ArRow {
  tokens: number[];
  stopReason: StopReason;
  /** Speculative decoding only: frames the draft proposed and how many of them were kept. */
  drafted?: { proposed: number; accepted: number };
}

export interface ArContext {
  sampling: SamplingOptions;
  eosId: number;
  vocab: number;
  layers: number;
  heads: number;
  headDim: number;
  /** The decoder's cache form (PackGraphs.kvCache); float32 when absent. */
  kvCache?: KvCacheKind;
  /** Which rows the decoder returns logits for (PackGraphs.arLogitRows); 'last' when absent. */
  logitRows?: ArLogitRows;
  /** Called after every step; throws to cancel (the check runs between steps, so within one step). */
  onStep: (framesPerRow: number[]) => void;
}

/** Per-row stop decision and sample, exactly as the official loop (argmax of raw logits or sampled EOS). */
function decide(logits: Float32Array, offset: number, context: ArContext, rng: Prng): number | 'eos' {
  const { vocab, eosId } = context;
  // The official loop draws before testing argmax; draw first so the PRNG sequence matches.
  const sampled = sampleToken(logits, context.sampling, rng, offset, vocab);
  if (argmax(logits, offset, vocab) === eosId || sampled === eosId) return 'eos';
  return sampled;
}

/**
 * Frames a batch's KV cache reserves room for: a quarter more than expected (a model may ring on past the last
 * note), never past the caps.
 */
export function reservedFrames(batch: ArBatch): number {
  return Math.min(Math.max(...batch.caps), Math.ceil((batch.expectedFrames ?? 0) * 1.25));
}

/** Applies one outcome to a row; true when the row has stopped (end of audio or its cap). */
export function takeDecision(row: ArRow, outcome: number | 'eos', cap: number, capReason: StopReason): boolean {
  if (outcome === 'eos') {
    row.stopReason = row.tokens.length === 0 ? 'eos-first-step' : 'eos';
    return true;
  }
  row.tokens.push(outcome);
  if (row.tokens.length >= cap) {
    row.stopReason = capReason;
    return true;
  }
  return false;
}

export async function runArCached(sessions: ArSessions, batch: ArBatch, context: ArContext): Promise<ArRow[]> {
  const B = batch.midiRows.length;
  const Tp = batch.promptQ0.length;
  const N = batch.S + Tp;
  const q0 = new Int32Array(B * Tp);
  for (let b = 0; b < B; b++) q0.set(batch.promptQ0, b * Tp);
  const prefill = await arWholePass(sessions, context, batch, q0, Tp);
  const cache = new KvCache(
    { layers: context.layers, batch: B, heads: context.heads, headDim: context.headDim },
    N + 1,
    context.kvCache ?? 'float32',
    N + 1 + reservedFrames(batch),
  );
  cache.append(prefill.newKey, prefill.newValue, N);

  const rngs = batch.seeds.map((seed) => mulberry32(seed));
  const rows: ArRow[] = batch.seeds.map(() => ({ tokens: [], stopReason: 'eos' }));
  const done = new Array<boolean>(B).fill(false);
  for (let b = 0; b < B; b++) {
    if (batch.caps[b]! <= 0) {
      rows[b]!.stopReason = batch.capReasons[b]!;
      done[b] = true;
    }
  }
  // `live` maps cache/logits rows to batch rows; finished rows are compacted out of the cache so that the
  // remaining steps cost only what the live rows cost.
  let live = Array.from({ length: B }, (_, b) => b);
  let logits = prefill.logits;
  let generated = 0; // frames fed so far (the same for every row: lockstep)
  for (;;) {
    live.forEach((b, j) => {
      if (done[b]) return;
      const outcome = decide(logits, j * context.vocab, context, rngs[b]!);
      done[b] = takeDecision(rows[b]!, outcome, batch.caps[b]!, batch.capReasons[b]!);
    });
    context.onStep(rows.map((r) => r.tokens.length));
    const stillLive = live.filter((b) => !done[b]);
    if (stillLive.length === 0) break;
    if (stillLive.length < live.length) {
      cache.compact(stillLive.map((b) => live.indexOf(b)));
      live = stillLive;
    }
    const ids = live.map((b) => rows[b]!.tokens.at(-1)!);
    const midiRows = live.map((b) => batch.midiRows[b]!);
    logits = await arCachedStep(sessions, context, cache, ids, Tp + generated, midiRows, batch.S);
    generated++;
  }
  return rows;
}

/** The official algorithm for one segment (batch of 1): the whole sequence re-run every step, no cache. */
export async function runArFullRecompute(sessions: ArSessions, batch: ArBatch, context: ArContext): Promise<ArRow[]> {
  if (batch.midiRows.length !== 1) throw new Error('full-recompute runs one segment at a time');
  const rng = mulberry32(batch.seeds[0]!);
  const row: ArRow = { tokens: [], stopReason: 'eos' };
  if (batch.caps[0]! <= 0) return [{ tokens: [], stopReason: batch.capReasons[0]! }];
  const y = Array.from(batch.promptQ0);
  for (;;) {
    const { logits } = await arWholePass(sessions, context, batch, y, y.length);
    const outcome = decide(logits, 0, context, rng);
    const stop = takeDecision(row, outcome, batch.caps[0]!, batch.capReasons[0]!);
    context.onStep([row.tokens.length]);
    if (stop) return [row];
    y.push(row.tokens[row.tokens.length - 1]!);
  }
}
