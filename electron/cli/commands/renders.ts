import type { Command } from 'commander';
import { CliContext } from '../context';

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
      const list = await cli.call('renders.list', {
        ...(opts.piece ? { pieceId: opts.piece } : {}),
        ...(opts.project ? { projectId: opts.project } : {}),
      });
      cli.print(list, () =>
        list.length
          ? list
              .map(
                (r) =>
                  `${r.id}  ${r.status.padEnd(11)} ${r.engine.padEnd(7)} ${r.pieceTitle} — ${r.performerName}  ${r.segmentsDone}/${r.segmentCount} segments`,
              )
              .join('\n')
          : 'no renders',
      );
      await cli.close();
    });

  renders
    .command('show')
    .description('show a render with its segments and chosen takes')
    .argument('<id>', 'render id')
    .exitOverride()
    .action(async (id: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const detail = await cli.call('renders.get', { id });
      cli.print(detail, () =>
        [
          `render ${detail.id}: ${detail.status}, ${detail.engineLabel}${detail.packId ? ` ${detail.packId}` : ''}, seed ${detail.seed}`,
          ...(detail.error ? [`error: ${detail.error}`] : []),
          ...detail.segments.map((s) => {
            const chosen = s.takes.find((t) => t.chosen);
            return `  segment ${s.index + 1}  ${s.start.toFixed(2)}–${s.end.toFixed(2)} s  ${s.takes.length} take(s)  chosen ${chosen?.id ?? '-'}${chosen?.locked ? '  locked' : ''}`;
          }),
        ].join('\n'),
      );
      await cli.close();
    });
}
