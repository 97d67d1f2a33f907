// Bundles the main process, the preload script and the engine host to out/electron/*.cjs.
// Native modules stay external: electron-builder unpacks them from the asar archive.
import { build } from 'esbuild';

const external = ['electron', 'better-sqlite3', 'onnxruntime-node', 'onnxruntime-common'];
// Sources are ESM and read import.meta.url; in a CJS bundle it comes from __filename.
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: true,
  external,
  logLevel: 'warning',
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/index.ts'], outfile: 'out/electron/main.cjs' }),
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'out/electron/preload.cjs' }),
  build({ ...common, entryPoints: ['electron/engine/host/entry.ts'], outfile: 'out/electron/engine-host.cjs' }),
]);
console.log('built out/electron/{main,preload,engine-host}.cjs');
