import type { Command } from 'commander';
import { getRender, listJobs } from '../../library';
import { runJobNow } from '../../services/render/render-service';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { createProgress } from '../progress';

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
      const { ctx } = cli.services();
      const lib = ctx.library();
      getRender(lib, id);
      const jobs = listJobs(lib, { renderId: id, status: ['interrupted', 'cancelled', 'failed', 'queued'] });
      const progress = createProgress(!cli.json);
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      try {
        for (const job of jobs) {
          await runJobNow(lib, ctx, job.id, controller.signal, (done, total) =>
            progress.update(done, total, `segment ${Math.min(done + 1, total)} of ${total}`),
          );
        }
      } catch (error) {
        progress.stop();
        if (controller.signal.aborted)
          throw new CliError(EXIT.runtime, `render ${id} was cancelled again; run resume later`);
        throw error;
      } finally {
        process.removeListener('SIGINT', stop);
      }
      progress.stop();
      const render = getRender(lib, id);
      cli.print({ id, resumedJobs: jobs.map((j) => j.id), status: render.status }, () =>
        jobs.length
          ? `resumed ${jobs.length} job(s); render ${id} is ${render.status}`
          : `render ${id} has nothing left to do (${render.status})`,
      );
      await cli.close();
    });
}
