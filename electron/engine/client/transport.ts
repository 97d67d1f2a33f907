// How EngineClient reaches the engine host process. Two implementations of one small interface:
//  * forkTransport — child_process.fork (CLI, browser host, tests); the TypeScript entry runs through tsx;
//  * utilityProcessTransport — wraps an Electron UtilityProcess created by the main process (structural
//    type only: this file must not import electron).
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENGINE_HOST_EXEC_ARGV, engineHostEnv } from '../host/host-env';
import type { HostMessage, HostRequest } from '../protocol';

export interface EngineTransport {
  send(request: HostRequest): void;
  onMessage(listener: (message: HostMessage) => void): void;
  onExit(listener: (code: number | null) => void): void;
  /** Ends the host process. */
  kill(): void;
}

/** The TypeScript host entry beside this folder. */
export const DEFAULT_ENGINE_ENTRY = join(dirname(fileURLToPath(import.meta.url)), '..', 'host', 'entry.ts');

/**
 * tsx's loader as a file URL, resolved from this package: `--import tsx` would be resolved from the
 * current directory, so the engine failed to start anywhere but the project folder.
 */
export const tsxLoaderUrl = (): string => pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface ForkOptions {
  /** Host entry; a .ts entry is run through tsx (`--import tsx`). */
  entry?: string;
  env?: NodeJS.ProcessEnv;
  /** The host's stdout and stderr both go to our stderr (default) — never to our stdout, which may carry
   * the CLI's --json output — or are ignored. */
  stderr?: 'inherit' | 'ignore';
}

export function forkTransport(options: ForkOptions = {}): EngineTransport {
  const entry = options.entry ?? DEFAULT_ENGINE_ENTRY;
  const child: ChildProcess = fork(entry, [], {
    execArgv: [...ENGINE_HOST_EXEC_ARGV, ...(entry.endsWith('.ts') ? ['--import', tsxLoaderUrl()] : [])],
    env: engineHostEnv(options.env ?? process.env),
    // Structured clone: typed arrays cross as binary, not as JSON arrays of numbers.
    serialization: 'advanced',
    stdio: options.stderr === 'ignore' ? ['ignore', 'ignore', 'ignore', 'ipc'] : ['ignore', 2, 2, 'ipc'],
  });
  return {
    send: (request) => {
      if (child.connected) child.send(request);
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as HostMessage)),
    onExit: (listener) => child.on('exit', (code) => listener(code)),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

/** The parts of Electron's UtilityProcess that we use. */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** Wrap `utilityProcess.fork(bundledEntry, [], { serviceName: 'midi-valle-engine' })` from the main process. */
export function utilityProcessTransport(child: UtilityProcessLike): EngineTransport {
  return {
    send: (request) => child.postMessage(request),
    onMessage: (listener) => child.on('message', (message) => listener(message as HostMessage)),
    onExit: (listener) => child.on('exit', (code) => listener(code)),
    kill: () => void child.kill(),
  };
}
