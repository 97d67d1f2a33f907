import type { Command } from 'commander';
import { getRender, listRenders, listSegments, listTakes } from '../../library';
import { CliContext } from '../context';
import { withLibrary } from './library-open';

export function registerRenders(program: Command): void {
  const renders = program.command('renders').description('list and inspect renders');

  renders
    .command('list')
    .description('list renders, newest first')
    .option('--piece <id>', 'only renders of this piece')
    .option('--project <id>', 'only renders of this project')
    .exitOverride()
    .action(async (opts: { piece?: string; project?: string }, command: Command) => {
      const cli = CliContext.from(command);
      const list = await withLibrary(cli, (lib) => listRenders(lib, { pieceId: opts.piece, projectId: opts.project }));
      cli.print(list, () =>
        list.length
          ? list
              .map(
                (r) =>
                  `${r.id}  ${r.status.padEnd(11)} ${r.engine.padEnd(7)} ${r.pieceTitle} — ${r.performerName ?? 'no performer'}  ${r.segmentsWithTake}/${r.segmentCount} segments`,
              )
              .join('\n')
          : 'no renders',
      );
    });

  renders
    .command('show')
    .description('show a render with its segments and chosen takes')
    .argument('<id>', 'render id')
    .exitOverride()
    .action(async (id: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const detail = await withLibrary(cli, (lib) => {
        const render = getRender(lib, id);
        const takes = listTakes(lib, id);
        const segments = listSegments(lib, id).map((s) => {
          const mine = takes.filter((t) => t.segmentId === s.id);
          return {
            ...s,
            number: s.index + 1,
            takes: mine.length,
            chosenTakeId: mine.find((t) => t.chosen)?.id ?? null,
          };
        });
        return { ...render, segments };
      });
      cli.print(detail, () =>
        [
          `render ${detail.id}: ${detail.status}, ${detail.engine} ${detail.packId}@${detail.packVersion}, seed ${detail.seed}`,
          ...(detail.error ? [`error: ${detail.error}`] : []),
          ...detail.segments.map(
            (s) =>
              `  segment ${s.number}  ${s.start.toFixed(2)}–${s.end.toFixed(2)} s  ${s.takes} take(s)  chosen ${s.chosenTakeId ?? '-'}`,
          ),
        ].join('\n'),
      );
    });
}
