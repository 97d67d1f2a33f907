import { Command, CommanderError } from 'commander';
import { packageInfo } from '../shared/package-info';
import { terminalSafe } from '../shared/untrusted-text';
import { commandRegistrations } from './commands';
import { StudioFailure } from '../contract/result';
import { CliError, EXIT, exitCodeFor, type ExitCode } from './exit-codes';

export function buildProgram(): Command {
  const program = new Command('midi-valle')
    .description('MIDI-VALLE Studio: expressive piano audio from performance MIDI')
    .version(packageInfo().version, '-V, --version')
    .option('--home <dir>', "library folder (default: $MIDI_VALLE_HOME, else the app's user-data folder)")
    .option('--json', 'machine-readable output on stdout')
    .option('--debug', 'print stack traces of failures')
    .showHelpAfterError('(run midi-valle --help for usage)')
    .exitOverride();
  for (const register of commandRegistrations) register(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI and returns its exit code; never throws. */
/** `midi-valle tokenize --json | head`: the reader left, so there is nobody to tell; end quietly. */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') > 0) continue;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

export async function runCli(argv: string[]): Promise<number> {
  endQuietlyOnClosedPipe();
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version end here too, with exit code 0
      if (error.exitCode === 0) return EXIT.ok;
      return EXIT.usage;
    }
    const failure = describeFailure(error);
    // One line, whatever a quoted name or path holds.
    process.stderr.write(`error: ${terminalSafe(failure.message)}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    // Scripts that asked for --json read stdout: give them the failure there too, as one JSON line.
    if (argv.includes('--json')) {
      process.stdout.write(
        `${JSON.stringify({ ok: false, error: { code: failure.code, message: failure.message } })}\n`,
      );
    }
    return failure.exitCode;
  }
}

function describeFailure(error: unknown): { code: string; message: string; exitCode: ExitCode } {
  if (error instanceof StudioFailure)
    return { code: error.code, message: error.message, exitCode: exitCodeFor(error.code) };
  if (error instanceof CliError) {
    const code = error.exitCode === EXIT.usage ? 'usage' : error.exitCode === EXIT.badInput ? 'bad-input' : 'runtime';
    return { code, message: error.message, exitCode: error.exitCode };
  }
  return { code: 'runtime', message: error instanceof Error ? error.message : String(error), exitCode: EXIT.runtime };
}
