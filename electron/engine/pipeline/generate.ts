// Segments → audio: batching, MIDI embedding, AR (cached or full recompute), NAR, codec decode.
// Pure orchestration over a loaded pack; the host process wraps it with the message protocol.
import { StudioFailure } from '../../shared/failure';
import { withSession, type PackSessions } from '../runtime/pack-sessions';
import { runArCached, runArFullRecompute, type ArBatch, type ArRow } from './ar';
import { runArSpeculative } from './speculative';
import { decodeCodes } from './codec';
import { collectGarbage } from './memory';
import { QUANTIZERS, runNar } from './nar';
import { asFloat32, int64Tensor } from './tensors';
import type { GenerateOptions, GenerateProgress, PromptCodes, SegmentInput, SegmentResult, StopReason } from './types';

export const MIDI_COLUMNS = 6;

export interface GenerateHooks {
  onProgress?: (progress: GenerateProgress) => void;
  /** Throws (StudioFailure 'cancelled') when the caller cancelled; checked between steps. */
  checkCancelled?: () => void;
  /**
   * Called with each segment as soon as its audio exists (before the rest of its batch is decoded and before
   * later batches run), so a caller can play or store it while the engine works on: time to first audio is
   * one batch's AR + NAR + one decode, not the whole request.
   */
  onSegment?: (result: SegmentResult) => void;
}

/** The official cap: generation stops once it has produced 16·S + 1 frames (S = MIDI rows incl. prompt, BOS, EOS). */
export function officialFrameCap(rows: number): number {
  return 16 * rows + 1;
}

function validate(prompt: PromptCodes, segments: SegmentInput[], options: GenerateOptions): void {
  if (prompt.frames <= 0 || prompt.codes.length !== prompt.frames * QUANTIZERS) {
    throw new StudioFailure(
      'invalid-argument',
      `prompt codes must be [frames, 4] with frames > 0 (got ${prompt.codes.length} values for ${prompt.frames} frames)`,
    );
  }
  segments.forEach((segment, i) => {
    if (segment.rows < 2 || segment.tokens.length !== segment.rows * MIDI_COLUMNS) {
      throw new StudioFailure(
        'invalid-argument',
        `segment ${i}: tokens must be [rows, 6] with rows ≥ 2 (got ${segment.tokens.length} values for ${segment.rows} rows)`,
      );
    }
    if (!Number.isInteger(segment.seed) || segment.seed < 0 || segment.seed > 0xffffffff) {
      throw new StudioFailure('invalid-argument', `segment ${i}: seed must be a uint32, got ${segment.seed}`);
    }
  });
  const { temperature, topK, topP } = options.sampling;
  if (!(temperature > 0)) throw new StudioFailure('invalid-argument', `temperature must be > 0, got ${temperature}`);
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 0))
    throw new StudioFailure('invalid-argument', `top-k must be a whole number ≥ 0, got ${topK}`);
  if (topP !== undefined && !(topP > 0 && topP <= 1))
    throw new StudioFailure('invalid-argument', `top-p must be in (0, 1], got ${topP}`);
}

/**
 * Batches of request indices; sorted by row count so that a batch pads as little as possible. Within a
 * batch, request order: its segments are handed back (onSegment) in the order the caller asked for them,
 * so a caller that stores them in order (a render job) can store the first as soon as it exists.
 */
export function planBatches(segments: SegmentInput[], batchSize: number): number[][] {
  const order = segments.map((_, i) => i).sort((a, b) => segments[a]!.rows - segments[b]!.rows || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize).sort((a, b) => a - b));
  return batches;
}

export async function generateSegments(
  loaded: PackSessions,
  prompt: PromptCodes,
  segments: SegmentInput[],
  options: GenerateOptions,
  hooks: GenerateHooks = {},
): Promise<SegmentResult[]> {
  validate(prompt, segments, options);
  const mode = options.mode ?? 'kv-cache';
  const batchSize = mode === 'full-recompute' ? 1 : Math.max(1, Math.floor(options.batchSize ?? 1));
  const speculate = mode === 'kv-cache' && options.speculative !== false && loaded.pack.arLogitRows === 'all';
  const { dims } = loaded.pack;
  const { sessions } = loaded;
  const results: SegmentResult[] = new Array(segments.length);
  const expected = segments.map((s) => s.expectedFrames ?? 4 * s.rows);
  const totalExpected = expected.reduce((a, b) => a + b, 0);
  const started = performance.now();
  let framesBefore = 0; // expected frames of finished batches (for the ETA)
  let segmentsDone = 0;
  const promptQ0 = new Int32Array(prompt.frames);
  for (let f = 0; f < prompt.frames; f++) promptQ0[f] = prompt.codes[f * QUANTIZERS]!;

  for (const indices of planBatches(segments, batchSize)) {
    hooks.checkCancelled?.();
    const batch = indices.map((i) => segments[i]!);
    const B = batch.length;
    const S = Math.max(...batch.map((s) => s.rows));
    const midiRows = batch.map((s) => s.rows);
    const emit = (phase: GenerateProgress['phase'], frames: number[]): void => {
      if (!hooks.onProgress) return;
      const batchExpected = indices.reduce((sum, i) => sum + expected[i]!, 0);
      const doneFrames =
        framesBefore +
        Math.min(
          batchExpected,
          frames.reduce((a, b) => a + b, 0),
        );
      const elapsed = (performance.now() - started) / 1000;
      const etaSeconds =
        doneFrames > 0 && elapsed > 0.2 ? (elapsed / doneFrames) * Math.max(0, totalExpected - doneFrames) : null;
      hooks.onProgress({ phase, segments: indices, segmentsDone, totalSegments: segments.length, frames, etaSeconds });
    };

    // MIDI embedding: rows padded at the end of the MIDI block with PAD (0) rows.
    emit('embed', new Array(B).fill(0));
    const tokens = new Int32Array(B * S * MIDI_COLUMNS);
    batch.forEach((s, b) => tokens.set(s.tokens, b * S * MIDI_COLUMNS));
    const embedded = await sessions.midiEmbed.run({ tokens: int64Tensor(tokens, [B, S, MIDI_COLUMNS]) });
    const xa = asFloat32(embedded.xa, 'xa');
    const xn = asFloat32(embedded.xn, 'xn');

    const caps = batch.map((s) => Math.min(officialFrameCap(s.rows), options.maxFrames ?? Infinity));
    const capReasons: StopReason[] = batch.map((s) =>
      options.maxFrames !== undefined && options.maxFrames < officialFrameCap(s.rows) ? 'max-frames' : 'cap',
    );
    const arBatch: ArBatch = {
      xa,
      S,
      dModel: dims.dModel,
      midiRows,
      promptQ0,
      seeds: batch.map((s) => s.seed),
      caps,
      capReasons,
      expectedFrames: Math.max(...indices.map((i) => expected[i]!)),
    };
    let lastEmit = 0;
    const arContext = {
      sampling: options.sampling,
      eosId: dims.eosId,
      vocab: dims.eosId + 1,
      layers: dims.arLayers,
      heads: dims.heads,
      headDim: dims.headDim,
      kvCache: loaded.pack.kvCache,
      logitRows: loaded.pack.arLogitRows,
      onStep: (frames: number[]) => {
        hooks.checkCancelled?.();
        const now = performance.now();
        if (now - lastEmit >= 100) {
          lastEmit = now;
          emit('ar', frames);
        }
      },
    };
    const arSessions = { embed: sessions.arEmbed, decoder: sessions.arDecoder };
    const openDraft = speculate && B === 1 ? loaded.openDraft : undefined;
    const rows: ArRow[] =
      mode === 'full-recompute'
        ? await runArFullRecompute(arSessions, arBatch, arContext)
        : openDraft
          ? await withSession(openDraft, (draft) => runArSpeculative({ ...arSessions, draft }, arBatch, arContext))
          : await runArCached(arSessions, arBatch, arContext);
    const frames = rows.map((r) => r.tokens.length);
    collectGarbage(); // the AR cache is garbage now: free it before the NAR and codec allocate theirs

    // NAR and codec row by row, each row finished (and handed back) before the next starts: the AR gains from
    // batching (its steps are bound by reading the weights), the NAR does not (large GEMMs either way); one
    // row at a time keeps its attention activations (~100 MB a row at 17.5 s) from stacking up across the
    // batch, and the first row's audio exists after one NAR and one decode instead of after the batch's.
    const D = dims.dModel;
    for (let b = 0; b < B; b++) {
      hooks.checkCancelled?.();
      const row = rows[b]!;
      let codes: Int32Array = new Int32Array(0);
      if (row.tokens.length > 0) {
        emit('nar', frames);
        const own = midiRows[b]!;
        const [rowCodes] = await runNar(
          sessions.narStage,
          {
            xn: xn.subarray(b * S * D, (b * S + own) * D),
            S: own,
            dModel: D,
            midiRows: [own],
            prompt: prompt.codes,
            promptFrames: prompt.frames,
            q0: [row.tokens],
          },
          () => hooks.checkCancelled?.(),
        );
        codes = rowCodes!;
        hooks.checkCancelled?.();
      }
      emit('decode', frames);
      const warnings: string[] = [];
      if (row.stopReason === 'eos-first-step') {
        warnings.push(
          `segment ${indices[b]}: the model produced end-of-audio at its first step; the segment is silent (try another seed)`,
        );
      } else if (row.stopReason === 'cap') {
        warnings.push(`segment ${indices[b]}: no end-of-audio within the ${caps[b]}-frame cap; the audio is cut there`);
      }
      const audio = options.skipDecode ? new Float32Array(0) : await decodeCodes(sessions.codecDecode, codes);
      const result: SegmentResult = {
        index: indices[b]!,
        seed: batch[b]!.seed,
        frames: frames[b]!,
        codes,
        audio,
        stopReason: row.stopReason,
        warnings,
        ...(row.drafted ? { drafted: row.drafted } : {}),
      };
      results[indices[b]!] = result;
      segmentsDone++;
      hooks.onSegment?.(result);
    }
    framesBefore += indices.reduce((sum, i) => sum + expected[i]!, 0);
  }
  return results;
}
