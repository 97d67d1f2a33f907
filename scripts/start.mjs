// `npm start`: the desktop app when Electron's binary is here or can be fetched; otherwise the
// same studio in a browser (the browser host), saying why.
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

/** The first line of a failed download's output that names the problem, without the stack. */
function downloadProblem(output) {
  const lines = output.split('\n').map((l) => l.trim());
  const line =
    lines.find((l) => /^(\w*Error|error)\b.*:/.test(l) && !l.startsWith('at ')) ??
    lines.find((l) => l && !l.startsWith('at ') && !/^[\^{}]/.test(l));
  const text = (line ?? 'no answer from its host').replace(/^(\w*Error):\s*/, '');
  return /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(output)
    ? `${text}: no connection to its host`
    : text;
}

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

if (run('npm', ['run', '--silent', 'build']) !== 0) process.exit(1);

let binary = electronBinary();
if (!binary.path) {
  console.log(`${binary.reason}; fetching it now (Electron's first-launch download)…`);
  // Its output is kept: a failed download prints a raw stack trace, and one line says it better.
  const fetched = spawnSync(process.execPath, ['node_modules/electron/install.js'], { encoding: 'utf8' });
  binary =
    fetched.status === 0
      ? electronBinary()
      : { path: undefined, reason: `its download failed (${downloadProblem(`${fetched.stderr}\n${fetched.stdout}`)})` };
}

if (binary.path) {
  const child = spawn(binary.path, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron cannot start here: ${binary.reason}. Starting the browser host instead.`);
  const child = spawn(process.execPath, ['bin/web-host.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
