import type { Command } from 'commander';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { numberOption, readInputFile } from '../read-input';

function consentChoice(value: string): 'yes' | 'no' | 'self' {
  if (value === 'yes' || value === 'no' || value === 'self') return value;
  throw new CliError(EXIT.usage, `--consent must be yes, no or self (got "${value}")`);
}

/** `performers add`: joins the storage-side `performers` command with the services' prompt intake. */
export function registerPerformersAdd(program: Command): void {
  const performers = program.commands.find((c) => c.name() === 'performers') ?? program.command('performers');
  performers
    .command('add')
    .description('add a performer from a recording and its MIDI (a 3-s prompt window is cut from both)')
    .requiredOption('--name <name>', 'performer name')
    .requiredOption('--audio <file>', 'the recording (wav, flac, mp3, ogg)')
    .requiredOption('--midi <file>', 'the MIDI of the same recording')
    .option('--start <seconds>', 'where the 3-s window starts (needed for recordings over 30 s)')
    .option('--piano <text>', 'tag: piano')
    .option('--room <text>', 'tag: room')
    .option('--source <text>', 'tag: source of the recording')
    .requiredOption('--licence <text>', 'licence the recording may be used under')
    .requiredOption('--consent <yes|no|self>', 'yes: the performer consents; no: does not; self: you are the performer')
    .option('--recorded-by <name>', 'who made the recording')
    .option('--notes <text>', 'free notes')
    .exitOverride()
    .action(async (opts: Record<string, string | boolean | undefined>, command: Command) => {
      const cli = CliContext.from(command);
      const tags = Object.fromEntries(
        (['piano', 'room', 'source'] as const).flatMap((k) =>
          typeof opts[k] === 'string' ? [[k, opts[k] as string]] : [],
        ),
      );
      const start = numberOption(opts.start as string | undefined, '--start', (n) => Number.isFinite(n) && n >= 0);
      const performer = await cli.call('performers.add', {
        name: String(opts.name),
        audio: readInputFile(String(opts.audio), 'recording'),
        midi: readInputFile(String(opts.midi), 'MIDI file'),
        ...(start !== undefined ? { start } : {}),
        tags,
        licence: String(opts.licence),
        consent: consentChoice(String(opts.consent)),
        ...(typeof opts.recordedBy === 'string' ? { recordedBy: opts.recordedBy } : {}),
        ...(typeof opts.notes === 'string' ? { notes: opts.notes } : {}),
      });
      cli.print(
        performer,
        () =>
          `added performer ${performer.name} (${performer.id}), ${performer.promptDuration} s prompt` +
          (performer.warning ? `\nwarning: ${performer.warning}` : ''),
      );
      await cli.close();
    });
}
