import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join } from 'node:path';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/**
 * Linux: the CPU's family/model and widest vector ISA. Machines named alike ("AMD EPYC") differ a lot: int8
 * kernels run ~1.7× faster with AVX-512 VNNI (Zen 4) than with AVX2 alone (Zen 3), so figures are comparable
 * only on the same kind.
 */
function cpuDetail(): string {
  if (!existsSync('/proc/cpuinfo')) return '';
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(info)?.[1]?.trim();
  const flags = new Set((field('flags') ?? '').split(/\s+/));
  const isa = flags.has('avx512_vnni')
    ? 'AVX-512 VNNI'
    : flags.has('avx512f')
      ? 'AVX-512'
      : flags.has('avx2')
        ? 'AVX2'
        : 'SSE';
  return ` (family ${field('cpu family') ?? '?'} model ${field('model') ?? '?'}, ${isa})`;
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}${cpuDetail()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${process.platform}-${process.arch}`;
}

function table(area: string, results: BenchResult[]): string {
  const lines = [`### ${area}`, '', '| benchmark | value | unit | note |', '|---|---:|---|---|'];
  for (const r of results)
    lines.push(
      `| ${r.name} | ${Number.isInteger(r.value) ? r.value : r.value.toFixed(3)} | ${r.unit} | ${r.note ?? ''} |`,
    );
  return lines.join('\n');
}

/** Replaces one area's section in docs/benchmarks.md, keeping the others. */
function updateDoc(area: string, section: string, command: string): void {
  const path = 'docs/benchmarks.md';
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const begin = `${START.replace('start', `start:${area}`)}`;
  const end = `${END.replace('end', `end:${area}`)}`;
  const block = `${begin}\n${section}\n\nMachine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Command: \`${command}\`\n${end}`;
  const pattern = new RegExp(`${begin}[\\s\\S]*?${end}`);
  writeFileSync(path, pattern.test(doc) ? doc.replace(pattern, block) : `${doc.trimEnd()}\n\n${block}\n`);
}

export async function runBenchmarks(args: string[]): Promise<number> {
  const available = readdirSync('bench')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => basename(f, '.ts'))
    .sort();
  const areas = args.length ? args : available;
  const unknown = areas.filter((a) => !available.includes(a));
  if (unknown.length) {
    console.error(`error: unknown benchmark area ${unknown.join(', ')}; available: ${available.join(', ')}`);
    return 2;
  }
  mkdirSync('.cache/bench', { recursive: true });
  let failed = 0;
  for (const area of areas) {
    console.log(`\n== bench ${area}`);
    try {
      const module = (await import(join(process.cwd(), 'bench', `${area}.ts`))) as {
        run: () => Promise<BenchResult[]>;
      };
      const results = await module.run();
      writeFileSync(
        join('.cache/bench', `${area}.json`),
        JSON.stringify({ area, machine: machine(), results }, null, 2),
      );
      const section = table(area, results);
      console.log(section);
      updateDoc(area, section, `npm run bench -- ${area}`);
    } catch (error) {
      failed++;
      console.error(`error: bench ${area} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failed ? 1 : 0;
}
