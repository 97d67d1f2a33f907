// `npm start`: the desktop app when Electron's binary is here or can be fetched; otherwise the
// same studio in a browser (the browser host), saying why.
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

if (run('npm', ['run', '--silent', 'build']) !== 0) process.exit(1);

let binary = electronBinary();
if (!binary.path) {
  console.log(`${binary.reason}; fetching it now (Electron's first-launch download)…`);
  const fetched = spawnSync(process.execPath, ['node_modules/electron/install.js'], { stdio: 'inherit' });
  binary =
    fetched.status === 0
      ? electronBinary()
      : { path: undefined, reason: 'the download failed (no connection to its host?)' };
}

if (binary.path) {
  const child = spawn(binary.path, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron cannot start here: ${binary.reason}. Starting the browser host instead.`);
  const child = spawn(process.execPath, ['bin/web-host.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
