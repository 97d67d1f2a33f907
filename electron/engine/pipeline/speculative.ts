// Speculative decoding of one AR row, for fp32 packs that carry an int8 draft decoder (docs/model-pack.md):
// the draft proposes up to DRAFT_FRAMES frames one by one, the fp32 decoder scores the newest frame and all
// proposals in one pass, and speculative sampling (sampling/speculative-sampling.ts) keeps a prefix of them
// plus one frame of its own. Each frame is distributed exactly as the fp32 model's; greedy decoding yields
// the very frames of the plain loop (tests/unit/engine-speculative.test.ts).
// Why: at batch 1 an fp32 step is bound by reading the AR weights (0.6 GB; 26.5 ms at real dims on a 2-core
// Zen 3) and scoring 5 rows costs only ~1.5 steps (40 ms), while an int8 draft step takes 9.4 ms; with 96 % of
// proposals kept a frame costs 15.7 ms (docs/benchmarks.md). At batch > 1 the plain loop already shares each
// weight read across rows, so speculation is for single rows.
import { mulberry32 } from '../sampling/prng';
import { drawWeighted } from '../sampling/sampler';
import { acceptOrResample, outcomeDistribution } from '../sampling/speculative-sampling';
import type { OrtSession } from '../runtime/ort';
import { reservedFrames, takeDecision, type ArBatch, type ArContext, type ArRow } from './ar';
import { arCachedPass, arWholePass, type ArSessions, type ArShape } from './ar-graphs';
import { KvCache } from './kv-cache';

/** Frames the draft proposes a round: 4 to 6 measured alike at 98 % agreement; fewer risk less when it drops. */
export const DRAFT_FRAMES = 4;

/**
 * A round costs about 4 draft steps plus one 5-row verify pass (≈ 4 × 0.4 + 1.5 plain steps), so below ~80 %
 * of proposals kept speculation is slower than the plain loop (docs/benchmarks.md). After PROBE_ROUNDS rounds
 * keeping less than MIN_KEPT, the row finishes with plain steps (verify passes of one row, no draft).
 */
export const PROBE_ROUNDS = 8;
export const MIN_KEPT = 0.7;

export interface SpeculativeSessions extends ArSessions {
  draft: OrtSession;
}

export async function runArSpeculative(
  sessions: SpeculativeSessions,
  batch: ArBatch,
  context: ArContext,
  draftFrames = DRAFT_FRAMES,
): Promise<ArRow[]> {
  if (batch.midiRows.length !== 1) throw new Error('speculative decoding runs one row at a time');
  const cap = batch.caps[0]!;
  const capReason = batch.capReasons[0]!;
  if (cap <= 0) return [{ tokens: [], stopReason: capReason }];
  const { S, midiRows, promptQ0 } = batch;
  const { vocab, eosId, sampling } = context;
  const Tp = promptQ0.length;
  const N = S + Tp;
  const target = { embed: sessions.embed, decoder: sessions.decoder };
  const draft = { embed: sessions.embed, decoder: sessions.draft };
  const draftShape: ArShape = { ...context, kvCache: 'int8', logitRows: 'all' };
  const dims = { layers: context.layers, batch: 1, heads: context.heads, headDim: context.headDim };
  // Room as runArCached reserves, plus one round's proposals.
  const reserve = N + 1 + reservedFrames(batch) + draftFrames + 1;
  const targetPrefill = await arWholePass(target, context, batch, promptQ0, Tp);
  const targetCache = new KvCache(dims, N + 1, context.kvCache ?? 'float32', reserve);
  targetCache.append(targetPrefill.newKey, targetPrefill.newValue, N);
  // The draft reads the fp32 decoder's keys and values (quantised into its int8 cache), not its own: no prefill
  // of its own (~0.3-0.4 s a segment), and between rounds its cache holds exactly the frames that stand, as
  // the target's does. Proposals only need to be likely; the verify pass keeps the output exact either way.
  const draftCache = new KvCache(dims, N + 1, 'int8', reserve);
  draftCache.append(targetPrefill.newKey, targetPrefill.newValue, N);

  const rng = mulberry32(batch.seeds[0]!);
  const drafted = { proposed: 0, accepted: 0 };
  const row: ArRow = { tokens: [], stopReason: 'eos', drafted };
  const outcome = (id: number): number | 'eos' => (id === eosId ? 'eos' : id);
  const distribution = (logits: Float32Array, at: number) =>
    outcomeDistribution(logits, at * vocab, vocab, eosId, sampling);

  // The first frame comes from the prefill's logits, as in the plain loop.
  let stopped = takeDecision(row, outcome(drawWeighted(distribution(targetPrefill.logits, 0), rng)), cap, capReason);
  context.onStep([row.tokens.length]);
  // Between rounds both caches hold every frame but the newest (N + g − 1 slots).
  let roundsDone = 0;
  let drafting = draftFrames > 0;
  while (!stopped) {
    const g = row.tokens.length;
    const base = N + g - 1;
    const proposals: number[] = [];
    const proposedFrom: Float64Array[] = [];
    // Draft (until it proves not worth it): from the newest frame, propose one frame at a time.
    if (drafting && roundsDone >= PROBE_ROUNDS && drafted.accepted < MIN_KEPT * drafted.proposed) drafting = false;
    const toPropose = drafting ? Math.min(draftFrames, cap - g) : 0;
    let logits: Float32Array = new Float32Array(0);
    if (toPropose > 0) {
      const newest = [row.tokens[g - 1]!];
      ({ logits } = await arCachedPass(draft, draftShape, draftCache, newest, 1, Tp + g - 1, midiRows, S));
    }
    for (let i = 0; i < toPropose; i++) {
      const Q = distribution(logits, 0);
      const proposal = drawWeighted(Q, rng);
      proposals.push(proposal);
      proposedFrom.push(Q);
      if (proposal === eosId || i === toPropose - 1) break;
      ({ logits } = await arCachedPass(draft, draftShape, draftCache, [proposal], 1, Tp + g + i, midiRows, S));
    }
    // Verify: the newest frame and every proposed frame (a proposed end is scored, not fed) in one pass.
    const fed = [row.tokens[g - 1]!, ...proposals.filter((id) => id !== eosId)];
    const scored = await arCachedPass(target, context, targetCache, fed, fed.length, Tp + g - 1, midiRows, S);
    let kept = 0;
    let rejected = false;
    for (let i = 0; i < proposals.length && !stopped && !rejected; i++) {
      const verdict = acceptOrResample(distribution(scored.logits, i), proposedFrom[i]!, proposals[i]!, rng);
      if (verdict.accepted) kept++;
      rejected = !verdict.accepted;
      stopped = takeDecision(row, outcome(verdict.outcome), cap, capReason);
    }
    drafted.proposed += proposals.length;
    drafted.accepted += kept;
    // Every proposal kept: the verify pass's last row gives one more frame.
    if (!stopped && !rejected)
      stopped = takeDecision(
        row,
        outcome(drawWeighted(distribution(scored.logits, proposals.length), rng)),
        cap,
        capReason,
      );
    // Only frames that stand stay cached: the newest frame of the round and the kept proposals, with the fp32
    // decoder's keys and values in both caches.
    const standing = Math.min(fed.length, 1 + kept);
    targetCache.truncate(base + standing);
    if (drafting) {
      draftCache.truncate(base);
      draftCache.append(scored.newKey, scored.newValue, standing, fed.length);
    }
    roundsDone++;
    context.onStep([row.tokens.length]);
  }
  return [row];
}
