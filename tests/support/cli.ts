import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectDir } from './shared-data';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `midi-valle` command (bin/midi-valle.mjs) in a child process. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): CliRun {
  const result = spawnSync(process.execPath, [join(projectDir, 'bin', 'midi-valle.mjs'), ...args], {
    cwd: projectDir,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
