// `npm run setup:gpu`: fetches ONNX Runtime's CUDA provider libraries (the step `npm install` skips,
// because it needs the network). Tolerant: reports success or why not, never breaks the install.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let dir;
try {
  dir = dirname(require.resolve('onnxruntime-node/package.json'));
} catch {
  console.log('setup:gpu: onnxruntime-node is not installed; run npm install first.');
  process.exit(1);
}
if (process.platform === 'darwin') {
  console.log('setup:gpu: macOS uses the CoreML provider built into onnxruntime-node; nothing to fetch.');
  process.exit(0);
}
console.log(
  'setup:gpu: fetching the CUDA 12 execution provider for onnxruntime-node (needs NVIDIA driver, CUDA 12 and cuDNN 9)…',
);
const result = spawnSync(process.execPath, [join(dir, 'script', 'install')], {
  cwd: dir,
  stdio: 'inherit',
  env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' },
});
if (result.status === 0) {
  console.log('setup:gpu: done. `midi-valle info` shows which provider the engine uses.');
} else {
  console.log(
    'setup:gpu: could not fetch the CUDA provider (no network, or no CUDA on this machine). The studio keeps working on the CPU.',
  );
}
process.exit(0);
