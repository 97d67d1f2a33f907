import type { Command } from 'commander';
import { CliContext } from '../context';
import { numberOption, readInputFile } from '../read-input';

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
    .option('--licence <text>', 'licence of the recording')
    .option('--consent', 'the performer agreed to this use of their recording')
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
        ...(typeof opts.licence === 'string' ? { licence: opts.licence } : {}),
        ...(opts.consent ? { consent: true } : {}),
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
