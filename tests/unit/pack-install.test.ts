// `packs install` (electron/engine/install) against the reference converter: random tiny-dims checkpoints in every
// official file form (native-models/make_test_checkpoints.py), converted by native-models/convert.py and installed
// by the TypeScript installer, must give the same pack byte for byte (fp32 with its int8 draft decoder, fp32 without
// it, and int8); the installed pack must also reproduce the committed parity fixtures' greedy and seeded tokens; the
// CLI must work with no Python on PATH; and every kind of wrong file must be refused with exit 3, one line, and
// nothing written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareInstall, writePack, type InstallOptions, type InstallProgress } from '../../electron/engine/install';
import { generateSegments } from '../../electron/engine/pipeline/generate';
import { openPackSessions, releasePackSessions } from '../../electron/engine/runtime/pack-sessions';
import { runCli } from '../support/cli';
import { hasTinyPack, tinyPackDir } from '../support/engine-pack';
import { readParityFixtures } from '../support/pack-fixtures';
import { projectDir } from '../support/shared-data';

const PYTHON = process.env.MIDI_VALLE_PYTHON ?? '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { encoding: 'utf8' }).status === 0;
if (!hasTorch) {
  if (process.env.CI === 'true') throw new Error(`CI=true but ${PYTHON} cannot import torch and onnx`);
  console.warn(`${PYTHON} cannot import torch and onnx; the installer-vs-convert.py tests are skipped`);
}

const work = mkdtempSync(join(tmpdir(), 'mv-install-'));
const ck = join(work, 'checkpoints');
const templateRoots = [join(projectDir, 'native-models', 'templates')];
const DRAFT_FILE = 'ar_draft_decoder.onnx';

function python(args: string[]): { code: number; stdout: string; stderr: string } {
  const run = spawnSync(PYTHON, args, { cwd: projectDir, encoding: 'utf8', timeout: 300_000 });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

function convert(valle: string, codec: string, out: string, precision = 'fp32', extra: string[] = []) {
  return python([
    'native-models/convert.py',
    '--valle',
    valle,
    '--codec',
    codec,
    '--out',
    out,
    '--precision',
    precision,
    '--heads',
    '2',
    ...extra,
  ]);
}

async function install(options: Partial<InstallOptions>, out: string, signal?: AbortSignal): Promise<void> {
  const prepared = await prepareInstall({
    valle: join(ck, 'valle-bare.pt'),
    codec: join(ck, 'codec-audiocraft.bin'),
    heads: 2,
    templateRoots,
    ...options,
  });
  try {
    await writePack(prepared, out, undefined, signal);
  } finally {
    await prepared.close();
  }
}

const same = (a: string, b: string) => readFileSync(a).equals(readFileSync(b));

/** Files of the two packs that differ or are in one only (pack.json included unless `graphsOnly`). */
function differingFiles(a: string, b: string, graphsOnly = false): string[] {
  const files = (dir: string) => readdirSync(dir).filter((f) => !graphsOnly || f.endsWith('.onnx'));
  const names = [...new Set([...files(a), ...files(b)])].sort();
  return names.filter((f) => !existsSync(join(a, f)) || !existsSync(join(b, f)) || !same(join(a, f), join(b, f)));
}

interface GraphEntryJson {
  file: string;
  sha256: string;
  bytes: number;
  precision: string;
  inputs: unknown[];
  outputs: unknown[];
}
const graphsOf = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'pack.json'), 'utf8')) as { graphs: Record<string, GraphEntryJson> }).graphs;

describe.skipIf(!hasTorch)('packs install equals convert.py (tiny dims, random weights)', () => {
  const ref = { fp32: join(work, 'ref-fp32'), int8: join(work, 'ref-int8'), noDraft: join(work, 'ref-fp32-no-draft') };

  beforeAll(() => {
    const made = python(['native-models/make_test_checkpoints.py', '--dims', 'tiny', '--seed', '1', '--out', ck]);
    expect(made.code, made.stderr).toBe(0);
    for (const precision of ['fp32', 'int8'] as const) {
      const run = convert(join(ck, 'valle-bare.pt'), join(ck, 'codec-audiocraft.bin'), ref[precision], precision);
      expect(run.code, run.stderr).toBe(0);
    }
    const run = convert(join(ck, 'valle-bare.pt'), join(ck, 'codec-audiocraft.bin'), ref.noDraft, 'fp32', [
      '--no-draft',
    ]);
    expect(run.code, run.stderr).toBe(0);
  }, 300_000);

  it('fp32: every graph file (the int8 draft decoder included) and pack.json are byte-identical to convert.py', async () => {
    const out = join(work, 'ts-fp32');
    const progress: InstallProgress[] = [];
    const prepared = await prepareInstall({
      valle: join(ck, 'valle-bare.pt'),
      codec: join(ck, 'codec-audiocraft.bin'),
      heads: 2,
      templateRoots,
      precision: 'fp32',
    });
    try {
      await writePack(prepared, out, (p) => progress.push(p));
    } finally {
      await prepared.close();
    }
    expect(differingFiles(ref.fp32, out)).toEqual([]);
    expect(readdirSync(out)).toContain(DRAFT_FILE);
    expect(progress.some((p) => p.stage === `writing ${DRAFT_FILE}`)).toBe(true);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ stage: 'done', done: last.total });
    expect(progress.every((p) => p.done <= p.total)).toBe(true);
  });

  it("fp32: the draft decoder is the int8 pack's arDecoder, listed right after arDecoder with its int8 I/O", () => {
    const fp32 = graphsOf(join(work, 'ts-fp32'));
    const int8 = graphsOf(ref.int8);
    expect(Object.keys(fp32).slice(2, 4)).toEqual(['arDecoder', 'arDraftDecoder']);
    const { file, ...draft } = fp32.arDraftDecoder!;
    const { file: int8File, ...int8Decoder } = int8.arDecoder!;
    expect([file, int8File]).toEqual([DRAFT_FILE, 'ar_decoder.onnx']);
    expect(draft).toEqual(int8Decoder); // same bytes (sha256), precision int8, int8 KV-cache inputs, outputs
    expect(draft.precision).toBe('int8');
    expect(same(join(work, 'ts-fp32', DRAFT_FILE), join(ref.int8, 'ar_decoder.onnx'))).toBe(true);
    expect(fp32.arDecoder!.outputs[0]).toEqual({ name: 'logits', type: 'float32', shape: ['B', 'T', 2049] });
    expect(draft.outputs).toEqual(fp32.arDecoder!.outputs);
  });

  it('fp32 with draft: false equals convert.py --no-draft (no draft graph, no file)', async () => {
    const out = join(work, 'ts-fp32-no-draft');
    await install({ precision: 'fp32', draft: false }, out);
    expect(differingFiles(ref.noDraft, out)).toEqual([]);
    expect(readdirSync(out)).not.toContain(DRAFT_FILE);
    expect(graphsOf(out).arDraftDecoder).toBeUndefined();
  });

  it('int8: every graph file and pack.json are byte-identical to convert.py (same 7-bit per-column weights)', async () => {
    const out = join(work, 'ts-int8');
    await install({ precision: 'int8' }, out);
    expect(differingFiles(ref.int8, out)).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(out, 'pack.json'), 'utf8')) as {
      graphs: Record<string, { precision: string }>;
    };
    expect(manifest.graphs.arDecoder!.precision).toBe('int8');
    expect(manifest.graphs.codecDecode!.precision).toBe('fp32');
    expect(manifest.graphs.arDraftDecoder).toBeUndefined(); // its arDecoder is already the int8 one
    expect(readdirSync(out)).not.toContain(DRAFT_FILE);
  });

  it('every checkpoint form (icefall trainer dict, DDP prefixes, audiocraft solver, bare codec) gives the same graphs', async () => {
    const forms: [string, string][] = [
      ['valle-trainer.pt', 'codec-solver.bin'],
      ['valle-ddp.pt', 'codec-bare.bin'],
    ];
    for (const [valle, codec] of forms) {
      const out = join(work, `ts-${valle}-${codec}`);
      // trainer and DDP dicts carry `nhead`, so no explicit head count
      await install({ valle: join(ck, valle), codec: join(ck, codec), heads: undefined }, out);
      expect(differingFiles(ref.fp32, out, true), `${valle} + ${codec}`).toEqual([]);
    }
  });

  it.skipIf(!hasTinyPack)(
    'the installed pack reproduces the parity fixtures: greedy and seeded tokens identical',
    async () => {
      const fx = readParityFixtures(tinyPackDir);
      const loaded = await openPackSessions(join(work, 'ts-fp32'), { threads: 1 });
      try {
        const Tp = fx.narStage.promptFrames;
        const codes = new Int32Array(Tp * 4);
        for (let f = 0; f < Tp; f++) for (let q = 0; q < 4; q++) codes[f * 4 + q] = fx.codecEncode.codes[q]![f]!;
        const segment = (seed: number) => ({ tokens: Int32Array.from(fx.tokens.flat()), rows: fx.tokens.length, seed });
        const q0 = (r: { frames: number; codes: Int32Array }) =>
          Array.from({ length: r.frames }, (_, f) => r.codes[f * 4]!);
        const [greedy] = await generateSegments(loaded, { codes, frames: Tp }, [segment(0)], {
          sampling: { temperature: 1, greedy: true },
          skipDecode: true,
        });
        expect(q0(greedy!)).toEqual(fx.greedy.tokens);
        expect(Array.from(greedy!.codes)).toEqual(fx.narStage.codes.flat());
        for (const run of fx.sampled) {
          const sampling = { temperature: run.temperature, topK: run.topK ?? undefined, topP: run.topP ?? undefined };
          // The reference's plain loop: with the installed draft, batch 1 would sample speculatively.
          const [result] = await generateSegments(loaded, { codes, frames: Tp }, [segment(run.seed)], {
            sampling,
            skipDecode: true,
            speculative: false,
          });
          expect(q0(result!), `seed ${run.seed}`).toEqual(run.tokens);
        }
      } finally {
        await releasePackSessions(loaded);
      }
    },
  );

  it('a cancel halfway leaves no pack and no temporary folder', async () => {
    const parent = join(work, 'cancel');
    mkdirSync(parent);
    const controller = new AbortController();
    const prepared = await prepareInstall({
      valle: join(ck, 'valle-bare.pt'),
      codec: join(ck, 'codec-audiocraft.bin'),
      heads: 2,
      templateRoots,
    });
    const written = writePack(
      prepared,
      join(parent, 'pack'),
      (p) => p.stage.startsWith('writing') && p.done > 20 && controller.abort(),
      controller.signal,
    );
    await expect(written).rejects.toMatchObject({ code: 'cancelled' });
    await prepared.close();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('the CLI installs with no Python on PATH, into the library, listed by packs list', () => {
    const emptyPath = join(work, 'no-python-bin');
    mkdirSync(emptyPath);
    const env = { PATH: emptyPath };
    expect(spawnSync('python3', ['--version'], { env }).error).toBeDefined(); // really no python here
    const home = join(work, 'home-ok');
    const run = runCli(
      [
        '--home',
        home,
        '--json',
        'packs',
        'install',
        '--valle',
        join(ck, 'valle-trainer.pt'),
        '--codec',
        join(ck, 'codec-audiocraft.bin'),
        '--precision',
        'int8',
        '--name',
        'Tiny test',
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    const pack = JSON.parse(run.stdout) as { id: string; dir: string; precision: string; licence: string };
    expect(pack).toMatchObject({ id: 'midi-valle-official', precision: 'fp32/int8', licence: 'CC BY-NC-SA 4.0' });
    expect(differingFiles(ref.int8, pack.dir, true)).toEqual([]);
    const listed = JSON.parse(runCli(['--home', home, '--json', 'packs', 'list'], { env }).stdout) as { id: string }[];
    expect(listed.map((p) => p.id)).toContain('midi-valle-official');
    const again = runCli(
      [
        '--home',
        home,
        'packs',
        'install',
        '--valle',
        join(ck, 'valle-trainer.pt'),
        '--codec',
        join(ck, 'codec-audiocraft.bin'),
      ],
      { env },
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already installed/);
  });

  it('the CLI --no-draft installs an fp32 pack without the draft decoder, as convert.py --no-draft', () => {
    const home = join(work, 'home-no-draft');
    const args = ['--home', home, '--json', 'packs', 'install', '--valle', join(ck, 'valle-trainer.pt')];
    const run = runCli([...args, '--codec', join(ck, 'codec-audiocraft.bin'), '--no-draft']);
    expect(run.code, run.stderr).toBe(0);
    const pack = JSON.parse(run.stdout) as { dir: string; precision: string };
    expect(pack.precision).toBe('fp32');
    expect(differingFiles(ref.noDraft, pack.dir, true)).toEqual([]);
    expect(graphsOf(pack.dir).arDraftDecoder).toBeUndefined();
  });
});

describe.skipIf(!hasTorch)('packs install refuses wrong files with exit 3, one line, nothing written', () => {
  const bad = join(work, 'bad');
  const marker = join(work, 'pwned');

  beforeAll(() => {
    mkdirSync(bad, { recursive: true });
    if (!existsSync(join(ck, 'valle-bare.pt'))) {
      const made = python(['native-models/make_test_checkpoints.py', '--dims', 'tiny', '--seed', '1', '--out', ck]);
      expect(made.code, made.stderr).toBe(0);
    }
    const script = `
import os, sys, torch
ck, bad, marker = sys.argv[1:4]
sd = torch.load(os.path.join(ck, "valle-bare.pt"))
del sd["ar_predict_layer.weight"]
sd["ar_text_embedding.word_embeddings.weight"] = torch.zeros(3)
sd["ar_decoder.layers.0.linear2.bias"] = torch.zeros(5)
torch.save(sd, os.path.join(bad, "other-model.pt"))
class Evil:
    def __reduce__(self):
        return (os.system, ("touch " + marker,))
sd = torch.load(os.path.join(ck, "valle-bare.pt"))
torch.save({"model": sd, "hook": Evil()}, os.path.join(bad, "evil.pt"))
`;
    const run = python(['-c', script, ck, bad, marker]);
    expect(run.code, run.stderr).toBe(0);
    const valle = readFileSync(join(ck, 'valle-bare.pt'));
    writeFileSync(join(bad, 'truncated.pt'), valle.subarray(0, Math.floor(valle.length / 2)));
    writeFileSync(join(bad, 'random.zip'), zipSync({ 'readme.txt': new TextEncoder().encode('not a model') }));
    writeFileSync(join(bad, 'notes.txt'), 'these are not weights\n');
  }, 300_000);

  const refuse = (valle: string, codec = join(ck, 'codec-audiocraft.bin')) => {
    const home = mkdtempSync(join(work, 'home-bad-'));
    const run = runCli(['--home', home, 'packs', 'install', '--valle', valle, '--codec', codec, '--heads', '2']);
    expect(run.code, run.stderr).toBe(3);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    const packs = join(home, 'packs');
    expect(existsSync(packs) ? readdirSync(packs) : []).toEqual([]);
    return lines[0]!;
  };

  it('the codec given as --valle', () => {
    expect(refuse(join(ck, 'codec-audiocraft.bin'))).toMatch(
      /codec-audiocraft\.bin: not a MIDI-VALLE checkpoint: key 'ar_text_embedding\.weight' is missing; it looks like the Piano-Encodec checkpoint/,
    );
  });

  it('a checkpoint of another model: missing, unexpected and mismatched keys with counts, as convert.py says them', () => {
    const line = refuse(join(bad, 'other-model.pt'));
    const reference = convert(join(bad, 'other-model.pt'), join(ck, 'codec-audiocraft.bin'), join(work, 'never'));
    expect(reference.code).toBe(3);
    expect(line).toBe(reference.stderr.trim());
    expect(line).toMatch(
      /missing 1 key\(s\): ar_predict_layer\.weight; unexpected 1 key\(s\): .*; 1 shape mismatch\(es\)/,
    );
  });

  it('a pickle that names a disallowed global: refused, and nothing in it runs', () => {
    expect(refuse(join(bad, 'evil.pt'))).toMatch(/names posix\.system, which a weights file does not need; refused/);
    expect(existsSync(marker)).toBe(false);
  });

  it('a truncated download, a random zip and a file that is not a checkpoint at all', () => {
    expect(refuse(join(bad, 'truncated.pt'))).toMatch(/truncated\.pt: the file is cut short/);
    expect(refuse(join(bad, 'random.zip'))).toMatch(
      /random\.zip: not a PyTorch checkpoint \(the zip has no data\.pkl\)/,
    );
    expect(refuse(join(bad, 'notes.txt'))).toMatch(/notes\.txt: not a PyTorch checkpoint \(not a zip archive\)/);
    expect(refuse(join(ck, 'valle-bare.pt'), join(bad, 'truncated.pt'))).toMatch(/cut short/);
  });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));
