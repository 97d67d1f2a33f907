import type { ErrorCode } from '../contract';

/** The CLI's exit codes; scripts rely on them, so they never change meaning. */
export const EXIT = { ok: 0, runtime: 1, usage: 2, badInput: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI reports as one `error:` line and a known exit code. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  constructor(exitCode: ExitCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function exitCodeFor(code: ErrorCode): ExitCode {
  switch (code) {
    case 'invalid-argument':
    case 'unknown-method':
      return EXIT.usage;
    case 'bad-input':
    case 'not-found':
    case 'conflict':
      return EXIT.badInput;
    default:
      return EXIT.runtime;
  }
}
