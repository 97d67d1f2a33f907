import type { Command } from 'commander';
import type { WorkDetail } from '../../contract/methods/works';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { readInputFile } from '../read-input';

function describeWork(work: WorkDetail): string {
  return [
    `${work.title}${work.composer ? ` (${work.composer})` : ''}  ${work.id}`,
    `score: ${work.score ? `${work.score.title}  ${work.score.id}` : 'none'}`,
    `${work.pieces.length} performance${work.pieces.length === 1 ? '' : 's'}:`,
    ...work.pieces.map((p) => `  ${p.id}  ${p.title}  ${p.noteCount} notes  ${p.duration.toFixed(1)} s`),
  ].join('\n');
}

/** `midi-valle works create|list|add|show`: performances of one work grouped, with an optional score. */
export function registerWorks(program: Command): void {
  const works = program
    .command('works')
    .description('works: several performances of one piece, with an optional score');

  works
    .command('create')
    .description('create a work from performance MIDI files (and a score)')
    .argument('[files...]', 'performance MIDI files')
    .requiredOption('--title <text>', 'title of the work')
    .option('--composer <name>', 'composer')
    .option('--score <file>', 'score MIDI (deadpan, quantised) the performances align to')
    .exitOverride()
    .action(async (files: string[], opts: { title: string; composer?: string; score?: string }, command: Command) => {
      const cli = CliContext.from(command);
      const work = await cli.call('works.create', {
        title: opts.title,
        ...(opts.composer ? { composer: opts.composer } : {}),
        ...(opts.score ? { score: readInputFile(opts.score, 'score MIDI') } : {}),
        files: files.map((f) => readInputFile(f, 'MIDI file')),
      });
      cli.print(work, () => `created work ${work.title} (${work.id})\n${describeWork(work)}`);
      await cli.close();
    });

  works
    .command('list')
    .description('list works')
    .exitOverride()
    .action(async (_opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const list = await cli.call('works.list', {});
      cli.print(list, () =>
        list.length
          ? list
              .map(
                (w) =>
                  `${w.id}  ${w.title}${w.composer ? ` (${w.composer})` : ''}  ${w.pieceCount} performance(s)${w.hasScore ? ', score' : ''}`,
              )
              .join('\n')
          : 'no works',
      );
      await cli.close();
    });

  works
    .command('add')
    .description('add a performance to a work (a MIDI file, or --piece ID), or set its score with --score')
    .argument('<work>', 'work id')
    .argument('[file]', 'MIDI file')
    .option('--piece <id>', 'a piece already in the library instead of a file')
    .option('--score', 'make it the score of the work')
    .exitOverride()
    .action(
      async (workId: string, file: string | undefined, opts: { piece?: string; score?: boolean }, command: Command) => {
        const cli = CliContext.from(command);
        if (Boolean(file) === Boolean(opts.piece))
          throw new CliError(EXIT.usage, 'give either a MIDI file or --piece ID (one of them)');
        const work = await cli.call('works.addPiece', {
          workId,
          source: file ? { file: readInputFile(file, 'MIDI file') } : { pieceId: opts.piece! },
          as: opts.score ? 'score' : 'performance',
        });
        cli.print(work, () => describeWork(work));
        await cli.close();
      },
    );

  works
    .command('show')
    .description('show a work with its score and performances')
    .argument('<work>', 'work id')
    .exitOverride()
    .action(async (id: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const work = await cli.call('works.get', { id });
      cli.print(work, () => describeWork(work));
      await cli.close();
    });
}
