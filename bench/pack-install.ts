// `packs install` (electron/engine/install): wall time and peak RSS of installing the official-format checkpoints,
// fp32 and int8, and whether the pack equals convert.py's byte for byte. Checkpoints: MIDI_VALLE_BENCH_CHECKPOINTS,
// a folder with valle-bare.pt and codec-audiocraft.bin (`python3 native-models/make_test_checkpoints.py --dims real
// --seed 5 --forms official --out DIR`, 1.7 GB); without it tiny ones are made here. MIDI_VALLE_BENCH_REFERENCE
// (optional): a folder with convert.py's packs for those files in `fp32/` and `int8/`. Goals (issue 18) at real dims:
// fp32 within 3 minutes on 2 cores, peak RSS at most 2.5 GB.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256OfFile } from '../electron/engine/pack';

const projectDir = resolve(fileURLToPath(import.meta.url), '..', '..');
const worker = join(projectDir, 'bench', 'workers', 'pack-install.ts');
type Row = { name: string; value: number; unit: string; note?: string };

export async function run(): Promise<Row[]> {
  const work = mkdtempSync(join(tmpdir(), 'mv-bench-install-'));
  try {
    let ck = process.env.MIDI_VALLE_BENCH_CHECKPOINTS;
    let dims = 'real dims';
    const heads: string[] = [];
    if (!ck) {
      ck = join(work, 'ck');
      execFileSync(
        '/usr/bin/python3',
        ['native-models/make_test_checkpoints.py', '--dims', 'tiny', '--forms', 'official', '--out', ck],
        { cwd: projectDir },
      );
      dims = 'tiny dims (no MIDI_VALLE_BENCH_CHECKPOINTS)';
      heads.push('2');
    }
    const rows: Row[] = [];
    for (const precision of ['fp32', 'int8']) {
      const out = join(work, precision);
      const stdout = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          worker,
          join(ck, 'valle-bare.pt'),
          join(ck, 'codec-audiocraft.bin'),
          out,
          precision,
          ...heads,
        ],
        { cwd: projectDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as { seconds: number; peakRssMb: number; bytes: number };
      const note = `${dims}, ${(r.bytes / 1e6).toFixed(0)} MB of graphs`;
      rows.push({ name: `install ${precision}: wall time`, value: r.seconds, unit: 's', note });
      rows.push({ name: `install ${precision}: peak RSS`, value: Math.round(r.peakRssMb), unit: 'MB', note });
      const ref = process.env.MIDI_VALLE_BENCH_REFERENCE && join(process.env.MIDI_VALLE_BENCH_REFERENCE, precision);
      if (ref && existsSync(join(ref, 'pack.json'))) {
        const files = readdirSync(ref).filter((f) => f.endsWith('.onnx') || f === 'pack.json');
        // Streamed hashes: reading GB-sized files whole would raise this process's peak RSS, which Linux hands on
        // to the next worker's (ru_maxrss survives fork and exec).
        let same = 0;
        for (const f of files) if ((await sha256OfFile(join(ref, f))) === (await sha256OfFile(join(out, f)))) same++;
        rows.push({
          name: `install ${precision}: files identical to convert.py`,
          value: same,
          unit: `of ${files.length}`,
        });
      }
      rmSync(out, { recursive: true, force: true });
    }
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
