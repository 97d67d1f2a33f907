// One pack's engine benchmark, run by bench/engine.ts in a process of its own started like the engine host
// (same environment), so that its peak RSS is that pack's alone: `tsx bench/workers/engine-pack.ts DIR LABEL`
// prints the rows as JSON on its last stdout line.
//
// Random weights give near-flat logits, so sampling stops at EOS after a random number of frames (about
// 1 in 2049 per step); the benchmark decodes greedily (argmax, no EOS in practice) with maxFrames =
// SEGMENT_SECONDS × 50 so that every run generates the same, realistic length.
// The full recompute would take many minutes on 2 cores at real dims, so it is measured, not run whole:
// one prefill pass over [MIDI | prompt + g frames] is timed at g = 0, Tg/2 and Tg (median of RUNS), a
// quadratic through the three points gives the cost of every step, and the sum over g = 0..Tg−1 is the
// extrapolated full-recompute AR time (the official loop runs exactly one such pass per generated frame).
import { generateSegments } from '../../electron/engine/pipeline/generate';
import { arWholePass } from '../../electron/engine/pipeline/ar-graphs';
import { int64Tensor } from '../../electron/engine/pipeline/tensors';
import { openPackSessions, releasePackSessions, type PackSessions } from '../../electron/engine/runtime/pack-sessions';
import type { GenerateOptions, GenerationPhase, PromptCodes, SegmentInput } from '../../electron/engine/pipeline/types';

export type Row = { name: string; value: number; unit: string; note?: string };

export const SEGMENT_SECONDS = 17.5; // the middle of the official 15–20 s segments
export const PROMPT_FRAMES = 150; // the shipped 3 s prompts
export const MIDI_ROWS = 200; // BOS + 55-row prompt + ~140 target notes + EOS: a typical 17.5 s segment
const BENCH_SAMPLING = { temperature: 1, greedy: true };
const RUNS = 1; // one timed pass per point: each is seconds long at real dims

/** Deterministic, valid token rows (ids inside every stream's vocabulary). */
function syntheticSegment(rows: number, seed: number): SegmentInput {
  const tokens = new Int32Array(rows * 6);
  tokens.fill(1, 0, 6);
  for (let r = 1; r < rows - 1; r++) {
    const row = [
      4 + ((r * 7) % 88),
      4 + ((r * 5) % 64),
      4 + ((r * 13) % 400),
      388 + ((r * 11) % 96),
      4 + ((r * 24) % 384),
      4 + Math.min(15, Math.floor(r / 16)),
    ];
    tokens.set(row, r * 6);
  }
  tokens.fill(2, (rows - 1) * 6);
  return { tokens, rows, seed };
}

function syntheticPrompt(frames: number): PromptCodes {
  const codes = new Int32Array(frames * 4);
  for (let i = 0; i < codes.length; i++) codes[i] = (i * 389 + 17) % 2048;
  return { codes, frames };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

async function timePrefill(loaded: PackSessions, xa: Float32Array, S: number, audioFrames: number): Promise<number> {
  const { dims } = loaded.pack;
  const sessions = { embed: loaded.sessions.arEmbed, decoder: loaded.sessions.arDecoder };
  const { kvCache, arLogitRows: logitRows } = loaded.pack;
  const shape = { layers: dims.arLayers, heads: dims.heads, headDim: dims.headDim, kvCache, logitRows };
  const midi = { xa, S, dModel: dims.dModel, midiRows: [S] };
  const q0 = new Int32Array(audioFrames).map((_, i) => (i * 31) % 2048);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await arWholePass(sessions, shape, midi, q0, audioFrames);
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Sum over g = 0..n−1 of the quadratic through (0, a), (n/2, b), (n, c). */
function sumQuadratic(n: number, a: number, b: number, c: number): number {
  const h = n / 2;
  // f(g) = a + p·g + q·g²
  const q = (c - 2 * b + a) / (2 * h * h);
  const p = (b - a) / h - q * h;
  const sumG = (n * (n - 1)) / 2;
  const sumG2 = ((n - 1) * n * (2 * n - 1)) / 6;
  return n * a + p * sumG + q * sumG2;
}

interface TimedRun {
  phaseMs: Partial<Record<GenerationPhase, number>>;
  totalMs: number;
  /** From the call to the first segment handed back with its audio (GenerateHooks.onSegment). */
  firstAudioMs: number;
  /** Frames of each segment. */
  frames: number[];
  /** Speculative decoding: draft frames proposed and kept, summed over the segments (0 / 0 when plain). */
  drafted: { proposed: number; accepted: number };
}

/** One generateSegments call with wall time per phase (embed, ar, nar, decode). */
async function timedGenerate(
  loaded: PackSessions,
  prompt: PromptCodes,
  segments: SegmentInput[],
  maxFrames: number,
  options: Partial<GenerateOptions> = {},
): Promise<TimedRun> {
  const phaseMs: Partial<Record<GenerationPhase, number>> = {};
  const current: { phase: GenerationPhase | null; since: number } = { phase: null, since: performance.now() };
  const started = performance.now();
  let firstAudioMs = NaN;
  const results = await generateSegments(
    loaded,
    prompt,
    segments,
    { sampling: BENCH_SAMPLING, maxFrames, batchSize: segments.length, ...options },
    {
      onProgress: (p) => {
        if (p.phase === current.phase) return;
        const now = performance.now();
        if (current.phase) phaseMs[current.phase] = (phaseMs[current.phase] ?? 0) + now - current.since;
        current.phase = p.phase;
        current.since = now;
      },
      onSegment: () => {
        if (Number.isNaN(firstAudioMs)) firstAudioMs = performance.now() - started;
      },
    },
  );
  if (current.phase) phaseMs[current.phase] = (phaseMs[current.phase] ?? 0) + performance.now() - current.since;
  const drafted = { proposed: 0, accepted: 0 };
  for (const r of results) {
    drafted.proposed += r.drafted?.proposed ?? 0;
    drafted.accepted += r.drafted?.accepted ?? 0;
  }
  return { phaseMs, totalMs: performance.now() - started, firstAudioMs, frames: results.map((r) => r.frames), drafted };
}

const keptPercent = ({ proposed, accepted }: TimedRun['drafted']): number =>
  Number(((100 * accepted) / Math.max(1, proposed)).toFixed(1));
const audioSeconds = (run: TimedRun): number => run.frames.reduce((a, b) => a + b, 0) / 50;
const rtf = (run: TimedRun): number => Number((run.totalMs / 1000 / audioSeconds(run)).toFixed(3));
const rtfNote = (run: TimedRun): string =>
  `${(run.totalMs / 1000).toFixed(1)} s for ${audioSeconds(run).toFixed(1)} s of audio; < 1 is faster than real time`;

async function benchPack(
  dir: string,
  label: string,
  frames: number,
  rows: number,
  promptFrames: number,
): Promise<Row[]> {
  const out: Row[] = [];
  const rssBefore = peakRssMb();
  const createStarted = performance.now();
  const loaded = await openPackSessions(dir);
  out.push({
    name: `${label}: session creation (5 graphs; the codec encoder and the draft decoder open on demand)`,
    value: Math.round(performance.now() - createStarted),
    unit: 'ms',
    note: `provider ${loaded.providers.arDecoder}, ${loaded.threads} threads`,
  });
  try {
    const prompt = syntheticPrompt(promptFrames);
    const segment = syntheticSegment(rows, 7);
    // Warm-up: the first runs after session creation are 2–3× slower (ort-cpu-anchors.md §1).
    await generateSegments(loaded, prompt, [segment], { sampling: BENCH_SAMPLING, maxFrames: 8, skipDecode: true });

    const single = await timedGenerate(loaded, prompt, [segment], frames);
    const generated = single.frames[0]!;
    const arMs = single.phaseMs.ar ?? 0;
    out.push({
      name: `${label}: KV-cache AR, ${generated} frames (${(generated / 50).toFixed(1)} s audio)`,
      value: Math.round(arMs),
      unit: 'ms',
      note: `${(arMs / generated).toFixed(2)} ms/step, S=${rows}, Tp=${promptFrames}`,
    });
    if (loaded.openDraft) {
      const { proposed, accepted } = single.drafted;
      out.push({
        name: `${label}: speculative decoding, proposals kept (greedy)`,
        value: keptPercent(single.drafted),
        unit: '%',
        note: `${accepted} of ${proposed} int8 draft frames kept; the AR row above is speculative, draft opened in it`,
      });
      // The same segment decoded plainly: what the draft saves, measured in the same process.
      const plain = await timedGenerate(loaded, prompt, [segment], frames, { speculative: false, skipDecode: true });
      const plainMs = plain.phaseMs.ar ?? 0;
      out.push({
        name: `${label}: KV-cache AR without the draft, ${plain.frames[0]} frames`,
        value: Math.round(plainMs),
        unit: 'ms',
        note: `${(plainMs / plain.frames[0]!).toFixed(2)} ms/step; speculative ${(arMs / generated).toFixed(2)} ms a frame`,
      });
      // Sampled as the studio renders (temperature 1): random weights end at a random frame, so per frame.
      const sampled = await timedGenerate(loaded, prompt, [segment], frames, {
        sampling: { temperature: 1 },
        skipDecode: true,
      });
      const sampledFrames = sampled.frames[0]!;
      out.push({
        name: `${label}: speculative decoding, proposals kept (sampled, temperature 1)`,
        value: keptPercent(sampled.drafted),
        unit: '%',
        note: `${sampledFrames} frames, ${((sampled.phaseMs.ar ?? 0) / Math.max(1, sampledFrames)).toFixed(2)} ms a frame`,
      });
    }
    out.push({ name: `${label}: NAR stages 1–3`, value: Math.round(single.phaseMs.nar ?? 0), unit: 'ms' });
    out.push({ name: `${label}: codec decode`, value: Math.round(single.phaseMs.decode ?? 0), unit: 'ms' });
    out.push({
      name: `${label}: end-to-end real-time factor (B=1)`,
      value: rtf(single),
      unit: 'x',
      note: rtfNote(single),
    });
    out.push({
      name: `${label}: time to first audio (B=1)`,
      value: Math.round(single.firstAudioMs),
      unit: 'ms',
      note: 'from the generate call to the first segment handed back with its audio',
    });
    out.push({
      name: `${label}: peak RSS (B=1)`,
      value: Math.round(peakRssMb()),
      unit: 'MB',
      note: `process max RSS after a whole 17.5 s render (${Math.round(rssBefore)} MB before the pack); target ≤ 2500 MB with fp32`,
    });

    // MIDI_VALLE_BENCH_QUICK=1: the batch-1 rows only (minutes less; for iterating on one stage).
    if (process.env.MIDI_VALLE_BENCH_QUICK === '1') return out;

    // Full recompute (the official loop), extrapolated from timed prefill passes.
    const embedded = await loaded.sessions.midiEmbed.run({ tokens: int64Tensor(segment.tokens, [1, rows, 6]) });
    const xa = embedded.xa!.data as Float32Array;
    const a = await timePrefill(loaded, xa, rows, promptFrames);
    const b = await timePrefill(loaded, xa, rows, promptFrames + Math.floor(generated / 2));
    const c = await timePrefill(loaded, xa, rows, promptFrames + generated);
    const fullMs = sumQuadratic(generated, a, b, c);
    out.push({
      name: `${label}: full-recompute AR (official algorithm), extrapolated`,
      value: Math.round(fullMs),
      unit: 'ms',
      note: `prefill pass ${a.toFixed(0)} / ${b.toFixed(0)} / ${c.toFixed(0)} ms at g = 0 / ${Math.floor(generated / 2)} / ${generated}`,
    });
    out.push({
      name: `${label}: KV-cache speed-up over full recompute (AR)`,
      value: Number((fullMs / arMs).toFixed(1)),
      unit: 'x',
      note: 'target ≥ 20× at real dims',
    });

    // Batch 4: four segments of the same length decoded together (rows step in lockstep).
    const four = await timedGenerate(
      loaded,
      prompt,
      [7, 8, 9, 10].map((seed) => syntheticSegment(rows, seed)),
      frames,
    );
    const fourAr = four.phaseMs.ar ?? 0;
    out.push({
      name: `${label}: KV-cache AR, batch of 4 × ${four.frames[0]} frames`,
      value: Math.round(fourAr),
      unit: 'ms',
      note: `${(fourAr / four.frames[0]!).toFixed(2)} ms/step for 4 rows`,
    });
    out.push({ name: `${label}: end-to-end real-time factor (B=4)`, value: rtf(four), unit: 'x', note: rtfNote(four) });
    out.push({
      name: `${label}: time to first audio (B=4)`,
      value: Math.round(four.firstAudioMs),
      unit: 'ms',
      note: 'the first of the four segments, handed back as soon as it is decoded',
    });
    out.push({
      name: `${label}: peak RSS (B=4)`,
      value: Math.round(peakRssMb()),
      unit: 'MB',
      note: 'process max RSS after the batch of 4',
    });
  } finally {
    await releasePackSessions(loaded);
  }
  return out;
}

const [dir, label] = process.argv.slice(2);
if (!dir || !label) throw new Error('usage: engine-pack.ts PACK_DIR LABEL');
const rows = await benchPack(dir, label, Math.round(SEGMENT_SECONDS * 50), MIDI_ROWS, PROMPT_FRAMES);
console.log(JSON.stringify(rows));
