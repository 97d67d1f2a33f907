import type { Command } from 'commander';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { JobWatch } from '../job-watch';
import { parseSegmentNumbers, withSegmentNumber } from './segment-numbers';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function registerTakes(program: Command): void {
  const takes = program.command('takes').description('list the takes of a render, choose and lock them');

  takes
    .command('list')
    .description('list the takes of a render (every segment keeps all its takes)')
    .option('--render <id>', 'render id (required)')
    .option('--segment <n>', 'only this segment (numbered from 1)')
    .exitOverride()
    .action(async (opts: { render?: string; segment?: string }, command: Command) => {
      const cli = CliContext.from(command);
      if (!opts.render) throw new CliError(EXIT.usage, 'takes list needs --render ID (see "midi-valle renders list")');
      const only = opts.segment !== undefined ? new Set(parseSegmentNumbers(opts.segment, '--segment')) : undefined;
      const detail = await cli.call('renders.get', { id: opts.render });
      const list = detail.segments
        .flatMap((s) => s.takes)
        .filter((t) => !only || only.has(t.segmentIndex))
        .map(withSegmentNumber);
      cli.print(list, () =>
        list.length
          ? list
              .map(
                (t) =>
                  `${t.id}  segment ${t.segmentNumber}  seed ${t.seed}  ${t.duration.toFixed(2)} s${t.chosen ? '  chosen' : ''}${t.locked ? '  locked' : ''}`,
              )
              .join('\n')
          : 'no takes',
      );
      await cli.close();
    });

  takes
    .command('choose')
    .description('make a take the one its segment plays (the mix follows)')
    .argument('<take>', 'take id')
    .exitOverride()
    .action(async (id: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const detail = await cli.call('takes.choose', { takeId: id });
      const take = detail.segments.flatMap((s) => s.takes).find((t) => t.id === id);
      cli.print(
        detail,
        () =>
          `take ${id} now plays in segment ${(take?.segmentIndex ?? 0) + 1}; the mix of render ${detail.id} follows`,
      );
      await cli.close();
    });

  takes
    .command('lock')
    .description("lock a take: it becomes its segment's chosen take and regeneration leaves the segment alone")
    .argument('<take>', 'take id')
    .option('--unlock', 'unlock it instead')
    .exitOverride()
    .action(async (id: string, opts: { unlock?: boolean }, command: Command) => {
      const cli = CliContext.from(command);
      const result = await cli.call('takes.lock', { takeId: id, locked: !opts.unlock });
      cli.print({ takeId: id, ...result }, () => `take ${id} is ${result.locked ? 'locked' : 'unlocked'}`);
      await cli.close();
    });

  const segments = program.command('segments').description('regenerate segments of a render');
  segments
    .command('regenerate')
    .description('render new takes of some segments (locked segments are refused, or skipped with --skip-locked)')
    .requiredOption('--render <id>', 'render id')
    .requiredOption('--segments <list>', 'segment numbers from 1, e.g. 3, 1,4 or 2-5')
    .option('--seed <n>', 'seed for the new takes (0..4294967295; default: a random one)')
    .option('--skip-locked', 'leave locked segments out instead of refusing')
    .exitOverride()
    .action(
      async (opts: { render: string; segments: string; seed?: string; skipLocked?: boolean }, command: Command) => {
        const cli = CliContext.from(command);
        const indices = parseSegmentNumbers(opts.segments, '--segments');
        const seed = opts.seed === undefined ? undefined : Number(opts.seed);
        if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
          throw new CliError(EXIT.usage, `--seed must be a whole number from 0 to 4294967295 (got "${opts.seed}")`);
        const watch = new JobWatch(cli);
        try {
          const started = await cli.call('segments.regenerate', {
            renderId: opts.render,
            segmentIndices: indices,
            ...(seed !== undefined ? { seed } : {}),
            ...(opts.skipLocked ? { skipLocked: true } : {}),
          });
          const outcome = await watch.wait(started.jobId);
          if (outcome.status !== 'done')
            throw new CliError(EXIT.runtime, outcome.message ?? `the regeneration was ${outcome.status}`);
          const detail = await cli.call('renders.get', { id: opts.render });
          cli.print({ ...started, render: detail }, () =>
            [
              `regenerated ${plural(indices.length - started.skipped.length, 'segment')} of render ${opts.render}`,
              ...(started.skipped.length
                ? [`skipped locked segment(s) ${started.skipped.map((i) => i + 1).join(', ')}`]
                : []),
            ].join('\n'),
          );
        } finally {
          watch.close();
          await cli.close();
        }
      },
    );
}
