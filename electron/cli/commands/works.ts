import { extname } from 'node:path';
import type { Command } from 'commander';
import type { WorkCurves, WorkDetail } from '../../contract/methods/works';
import { performancesCurvesCsv } from '../../shared/curves-csv';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { readInputFile } from '../read-input';
import { writeOutputFile } from '../write-output';

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

  works
    .command('curves')
    .description('align every performance to the score (or --reference) and give tempo, dynamics, asynchrony per beat')
    .argument('<work>', 'work id')
    .option('--reference <piece>', 'align to this performance instead of the score')
    .option('--out <file>', 'write the curves of all performances (.csv, one row per performance and beat, or .json)')
    .exitOverride()
    .action(async (id: string, opts: { reference?: string; out?: string }, command: Command) => {
      const cli = CliContext.from(command);
      if (opts.out && !['.csv', '.json'].includes(extname(opts.out).toLowerCase()))
        throw new CliError(EXIT.usage, `--out must name a .csv or .json file (got "${opts.out}")`);
      const result = await cli.call('works.curves', {
        id,
        ...(opts.reference ? { referencePieceId: opts.reference } : {}),
      });
      if (opts.out) await writeWorkCurves(opts.out, result);
      const mean = (values: Array<number | null>) => {
        const v = values.filter((x): x is number => x !== null);
        return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
      };
      cli.print(opts.out ? { ...result, written: opts.out } : result, () =>
        [
          `reference: ${result.referenceKind} ${result.referencePieceId}, ${result.beats.times.length} beats in ${result.beats.bars.at(-1) ?? 0} bars`,
          ...result.performances.map((p) =>
            p.curves.length
              ? `  ${p.title}: ${(p.stats.refMatchedRatio * 100).toFixed(1)} % matched, mean ${mean(p.curves.map((c) => c.bpm)).toFixed(1)} BPM, mean velocity ${mean(p.curves.map((c) => c.velocity)).toFixed(1)}`
              : `  ${p.title}: does not look like the same piece as the reference (${(p.stats.refMatchedRatio * 100).toFixed(1)} % matched)`,
          ),
          ...(opts.out ? [`wrote ${opts.out}`] : []),
        ].join('\n'),
      );
      await cli.close();
    });
}

/** One CSV row per performance and beat (piece id and title first), or the JSON as returned; never partial. */
async function writeWorkCurves(path: string, result: WorkCurves): Promise<void> {
  const text =
    extname(path).toLowerCase() === '.json'
      ? `${JSON.stringify(result, null, 2)}\n`
      : performancesCurvesCsv(result.performances);
  await writeOutputFile(path, text);
}
