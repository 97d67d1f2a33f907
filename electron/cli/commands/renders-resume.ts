import type { Command } from 'commander';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { JobWatch } from '../job-watch';

/** `renders resume ID`: finishes a render that a crash, a kill or a cancel left incomplete. */
export function registerRendersResume(program: Command): void {
  const renders = program.commands.find((c) => c.name() === 'renders') ?? program.command('renders');
  renders
    .command('resume')
    .description('finish an interrupted, cancelled or failed render, segment by segment')
    .argument('<id>', 'render id')
    .exitOverride()
    .action(async (id: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const watch = new JobWatch(cli);
      try {
        const { jobIds } = await cli.call('renders.resume', { id });
        for (const jobId of jobIds) {
          const outcome = await watch.wait(jobId);
          if (outcome.status === 'cancelled')
            throw new CliError(EXIT.runtime, `render ${id} was cancelled again; run resume later`);
          if (outcome.status === 'failed') throw new CliError(EXIT.runtime, outcome.message ?? 'the render failed');
        }
        const render = await cli.call('renders.get', { id });
        cli.print({ id, resumedJobs: jobIds, status: render.status }, () =>
          jobIds.length
            ? `resumed ${jobIds.length} job(s); render ${id} is ${render.status}`
            : `render ${id} has nothing left to do (${render.status})`,
        );
      } finally {
        watch.close();
        await cli.close();
      }
    });
}
