import type { Command } from 'commander';
import { CliContext } from '../context';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show the version, the library folder and the render engines available')
    .action(async (_opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const info = await cli.call('app.info', {});
      cli.print(info, () =>
        [
          `${info.name} ${info.version}`,
          `library: ${info.home}`,
          `node ${info.node} on ${info.platform}`,
          ...info.engines.map(
            (e) => `engine ${e.id}: ${e.available ? 'available' : 'unavailable'} — ${e.label} (${e.detail})`,
          ),
        ].join('\n'),
      );
      await cli.close();
    });
}
