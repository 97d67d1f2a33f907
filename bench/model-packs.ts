// Precision variants of a model pack against its fp32 reference, on onnxruntime-node's CPU EP:
// logits error, greedy-token agreement (teacher-forced and free-running) and AR step time.
// Packs: MIDI_VALLE_BENCH_REFERENCE (fp32 folder) and MIDI_VALLE_BENCH_VARIANTS (comma-separated folders);
// without them the tiny pack is compared with int8/fp16 variants made by native-models/make_test_pack.py.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPackManifest, type PackManifest } from '../electron/engine/pack';
import { arLogitRowsOf, kvCacheKindOf } from '../electron/engine/pack/expectations';
import { arCachedStep, arWholePass, type ArSessions } from '../electron/engine/pipeline/ar-graphs';
import { KvCache } from '../electron/engine/pipeline/kv-cache';
import { asFloat32, int64Tensor } from '../electron/engine/pipeline/tensors';
import { loadOrt, type OrtSession } from '../electron/engine/runtime/ort';
import { sessionOptions } from '../electron/engine/runtime/providers';
import { argmax } from '../electron/engine/sampling/sampler';
import { readParityFixtures, tinyPackDir } from '../tests/support/pack-fixtures';

type Metric = { name: string; value: number; unit: string; note?: string };
const STEPS = Number(process.env.MIDI_VALLE_BENCH_STEPS ?? 60);

interface Driver {
  pack: PackManifest;
  midiEmbed: OrtSession;
  ar: ArSessions;
}

async function driver(dir: string): Promise<Driver> {
  const pack = await loadPackManifest(dir, { verifyChecksums: false });
  const ort = loadOrt();
  const opts = sessionOptions('cpu', 2); // what the engine runs its AR graphs with
  return {
    pack,
    midiEmbed: await ort.InferenceSession.create(pack.graphPaths.midiEmbed, opts),
    ar: {
      embed: await ort.InferenceSession.create(pack.graphPaths.arEmbed, opts),
      decoder: await ort.InferenceSession.create(pack.graphPaths.arDecoder, opts),
    },
  };
}

/** Greedy (or teacher-forced on `forced`) KV decode with the engine's own AR functions; returns per-step
 * argmax picks, the first logits and the step times. */
async function decode(d: Driver, tokens: number[][], q0: number[], steps: number, forced?: number[]) {
  const S = tokens.length;
  const Tp = q0.length;
  const { dModel, arLayers, heads, headDim } = d.pack.model;
  const kvCache = kvCacheKindOf(d.pack.graphs.arDecoder.inputs);
  const logitRows = arLogitRowsOf(d.pack.graphs.arDecoder.outputs);
  const shape = { layers: arLayers, heads, headDim, kvCache, logitRows };
  const embedded = await d.midiEmbed.run({ tokens: int64Tensor(tokens.flat(), [1, S, 6]) });
  const midi = { xa: asFloat32(embedded.xa, 'xa'), S, dModel, midiRows: [S] };
  const prefill = await arWholePass(d.ar, shape, midi, q0, Tp);
  const cache = new KvCache({ layers: arLayers, batch: 1, heads, headDim }, S + Tp + steps + 1, kvCache);
  cache.append(prefill.newKey, prefill.newValue, S + Tp);
  let logits = prefill.logits;
  const first = logits;
  const picks: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    picks.push(argmax(logits, 0, logits.length));
    const token = forced ? forced[i]! : picks[i]!;
    const t0 = performance.now();
    logits = await arCachedStep(d.ar, shape, cache, [token], Tp + i, [S], S);
    times.push(performance.now() - t0);
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
    const precision = v.pack.graphs.arDecoder.precision;
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
