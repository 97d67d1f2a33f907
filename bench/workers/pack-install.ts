// One `packs install` in a process of its own (bench/pack-install.ts), so its peak RSS is the installer's alone.
// argv: valle codec outDir precision [heads]; prints one JSON line: seconds, peak RSS, sizes.
import { prepareInstall, writePack, type InstallPrecision } from '../../electron/engine/install';
import { templateRoots } from '../../electron/services/neural/pack-install';

const [valle, codec, out, precision, heads] = process.argv.slice(2);
const started = performance.now();
const prepared = await prepareInstall({
  valle: valle!,
  codec: codec!,
  precision: precision as InstallPrecision,
  templateRoots: templateRoots(),
  ...(heads ? { heads: Number(heads) } : {}),
});
const manifest = await writePack(prepared, out!);
await prepared.close();
const graphs = Object.values(manifest.graphs as Record<string, { bytes: number }>);
console.log(
  JSON.stringify({
    seconds: (performance.now() - started) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    bytes: graphs.reduce((n, g) => n + g.bytes, 0),
  }),
);
