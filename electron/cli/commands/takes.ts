import type { Command } from 'commander';
import { chooseTake, listTakes } from '../../library';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { withLibrary } from './library-open';
import { segmentNumberOption, withSegmentNumber } from './segment-numbers';

export function registerTakes(program: Command): void {
  const takes = program.command('takes').description('list the takes of a render and choose which one plays');

  takes
    .command('list')
    .description('list the takes of a render (every segment keeps all its takes)')
    .option('--render <id>', 'render id (required)')
    .option('--segment <n>', 'only this segment (1 is the first)')
    .exitOverride()
    .action(async (opts: { render?: string; segment?: string }, command: Command) => {
      const cli = CliContext.from(command);
      if (!opts.render) throw new CliError(EXIT.usage, 'takes list needs --render ID (see "midi-valle renders list")');
      const segment = segmentNumberOption(opts.segment);
      const list = (await withLibrary(cli, (lib) => listTakes(lib, opts.render!, segment))).map(withSegmentNumber);
      cli.print(list, () =>
        list.length
          ? list
              .map(
                (t) =>
                  `${t.id}  segment ${t.segmentNumber}  seed ${t.seed}  ${t.duration.toFixed(2)} s  ${t.sampleRate} Hz${t.chosen ? '  chosen' : ''}${t.locked ? '  locked' : ''}`,
              )
              .join('\n')
          : 'no takes',
      );
    });

  takes
    .command('choose')
    .description('make a take the one its segment plays')
    .argument('<take>', 'take id')
    .exitOverride()
    .action(async (id: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const take = await withLibrary(cli, (lib) => chooseTake(lib, id));
      cli.print(take, () => `take ${take.id} is now chosen for its segment`);
    });
}
