// Precision variants of a model pack against its fp32 reference, on onnxruntime-node's CPU EP:
// logits error, greedy-token agreement (teacher-forced and free-running) and AR step time.
// Packs: MIDI_VALLE_BENCH_REFERENCE (fp32 folder) and MIDI_VALLE_BENCH_VARIANTS (comma-separated folders);
// without them the tiny pack is compared with int8/fp16 variants made by native-models/make_test_pack.py.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadPackManifest, type PackManifest } from '../electron/engine/pack';
import { argmax, readParityFixtures, tinyPackDir } from '../tests/support/pack-fixtures';

type Metric = { name: string; value: number; unit: string; note?: string };
const NEG = -1e9;
const STEPS = Number(process.env.MIDI_VALLE_BENCH_STEPS ?? 60);

const int64 = (v: number[], dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(v.map(BigInt)), dims);
const float = (v: Float32Array, dims: number[]) => new ort.Tensor('float32', v, dims);

interface Driver {
  pack: PackManifest;
  embed: ort.InferenceSession;
  prefill: ort.InferenceSession;
  step: ort.InferenceSession;
}

async function driver(dir: string): Promise<Driver> {
  const pack = await loadPackManifest(dir, { verifyChecksums: false });
  const opts: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  };
  return {
    pack,
    embed: await ort.InferenceSession.create(pack.graphPaths.midiEmbed, opts),
    prefill: await ort.InferenceSession.create(pack.graphPaths.arPrefill, opts),
    step: await ort.InferenceSession.create(pack.graphPaths.arStep, opts),
  };
}

/** Greedy (or teacher-forced on `forced`) KV decode; returns per-step logits argmax, first logits and step times. */
async function decode(d: Driver, tokens: number[][], q0: number[], steps: number, forced?: number[]) {
  const S = tokens.length;
  const Tp = q0.length;
  const { xa } = await d.embed.run({ tokens: int64(tokens.flat(), [1, S, 6]) });
  const mask = new Float32Array((S + Tp) ** 2).fill(NEG);
  for (let q = 0; q < S + Tp; q++) {
    for (let k = 0; k < S; k++) mask[q * (S + Tp) + k] = 0;
    if (q >= S) for (let k = S; k <= q; k++) mask[q * (S + Tp) + k] = 0;
  }
  const pre = await d.prefill.run({
    xa: xa!,
    prompt_q0: int64(q0, [1, Tp]),
    mask: float(mask, [1, 1, S + Tp, S + Tp]),
  });
  const [L, , H, , Dh] = pre.key!.dims as number[] as [number, number, number, number, number];
  const capacity = Math.ceil((S + Tp + steps + 1) / 128) * 128;
  const keys = new Float32Array(L * H * capacity * Dh);
  const values = new Float32Array(keys.length);
  const put = (src: Float32Array, dst: Float32Array, rows: number, slot: number) => {
    for (let b = 0; b < L * H; b++)
      dst.set(src.subarray(b * rows * Dh, (b + 1) * rows * Dh), (b * capacity + slot) * Dh);
  };
  put(pre.key!.data as Float32Array, keys, S + Tp, 0);
  put(pre.value!.data as Float32Array, values, S + Tp, 0);
  let logits = pre.logits!.data as Float32Array;
  const first = logits;
  const picks: number[] = [];
  const times: number[] = [];
  let filled = S + Tp;
  for (let i = 0; i < steps; i++) {
    picks.push(argmax(logits));
    const token = forced ? forced[i]! : picks[i]!;
    const m = new Float32Array(capacity + 1).fill(NEG);
    m.fill(0, 0, filled);
    m[capacity] = 0;
    const t0 = performance.now();
    const out = await d.step.run({
      token: int64([token], [1, 1]),
      audio_pos: int64([filled - S], [1]),
      past_key: float(keys, [L, 1, H, capacity, Dh]),
      past_value: float(values, [L, 1, H, capacity, Dh]),
      mask: float(m, [1, 1, 1, capacity + 1]),
    });
    times.push(performance.now() - t0);
    put(out.new_key!.data as Float32Array, keys, 1, filled);
    put(out.new_value!.data as Float32Array, values, 1, filled);
    filled += 1;
    logits = out.logits!.data as Float32Array;
  }
  return { picks, first, times };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function defaultPacks(): { reference: string; variants: string[] } {
  const out = mkdtempSync(join(tmpdir(), 'pack-variants-'));
  const variants = ['int8', 'fp16'].map((precision) => {
    const dir = join(out, precision);
    execFileSync(
      '/usr/bin/python3',
      [
        'native-models/make_test_pack.py',
        '--dims',
        'tiny',
        '--seed',
        '1',
        '--precision',
        precision,
        '--no-fixtures',
        '--out',
        dir,
      ],
      { stdio: 'ignore' },
    );
    return dir;
  });
  return { reference: tinyPackDir, variants };
}

export async function run(): Promise<Metric[]> {
  const env = process.env.MIDI_VALLE_BENCH_REFERENCE;
  const { reference, variants } = env
    ? {
        reference: env,
        variants: (process.env.MIDI_VALLE_BENCH_VARIANTS ?? '').split(',').filter((p) => existsSync(p)),
      }
    : defaultPacks();
  const fx = readParityFixtures();
  const q0 = fx.codecEncode.codes[0]!;
  const ref = await driver(reference);
  const label = ref.pack.model.dModel >= 1024 ? 'real' : 'tiny';
  const base = await decode(ref, fx.tokens, q0, STEPS);
  const metrics: Metric[] = [
    {
      name: `${label} fp32 AR step (B=1)`,
      value: median(base.times),
      unit: 'ms',
    },
  ];
  for (const dir of variants) {
    const v = await driver(dir);
    const precision = v.pack.graphs.arStep.precision;
    const forced = await decode(v, fx.tokens, q0, STEPS, base.picks);
    const free = await decode(v, fx.tokens, q0, STEPS);
    let maxAbs = 0;
    for (let i = 0; i < base.first.length; i++) maxAbs = Math.max(maxAbs, Math.abs(base.first[i]! - forced.first[i]!));
    const agree = forced.picks.filter((p, i) => p === base.picks[i]).length / STEPS;
    const prefix = free.picks.findIndex((p, i) => p !== base.picks[i]);
    metrics.push(
      {
        name: `${label} ${precision} first-logits max abs error`,
        value: maxAbs,
        unit: 'logit',
      },
      {
        name: `${label} ${precision} first-logits cosine`,
        value: cosine(base.first, forced.first),
        unit: '',
      },
      {
        name: `${label} ${precision} greedy agreement, teacher-forced`,
        value: agree,
        unit: 'fraction',
        note: `${STEPS} steps`,
      },
      {
        name: `${label} ${precision} free-running greedy identical prefix`,
        value: prefix < 0 ? STEPS : prefix,
        unit: 'frames',
        note: `of ${STEPS}`,
      },
      {
        name: `${label} ${precision} AR step (B=1)`,
        value: median(forced.times),
        unit: 'ms',
      },
    );
  }
  return metrics;
}

if (process.argv[1]?.endsWith('model-packs.ts')) {
  for (const m of await run())
    console.log(`${m.name}: ${m.value}${m.unit ? ' ' + m.unit : ''}${m.note ? ` (${m.note})` : ''}`);
}
