import type { Command } from 'commander';
import { getPerformer, listPerformers } from '../../library';
import { CliContext } from '../context';
import { withLibrary } from './library-open';

export function registerPerformers(program: Command): void {
  const performers = program.command('performers').description('the performers (prompt recordings) renders imitate');

  performers
    .command('list')
    .description('list performers')
    .exitOverride()
    .action(async (_opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const list = await withLibrary(cli, (lib) => listPerformers(lib));
      cli.print(list, () =>
        list.length
          ? list
              .map(
                (p) =>
                  `${p.id}  ${p.name}${p.demo ? ' (demo)' : ''}  ${p.promptAudio.duration.toFixed(1)} s prompt  ${p.licence}  ${p.renderCount} render(s)`,
              )
              .join('\n')
          : 'no performers',
      );
    });

  performers
    .command('show')
    .description('show a performer')
    .argument('<id>', 'performer id')
    .exitOverride()
    .action(async (id: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const p = await withLibrary(cli, (lib) => getPerformer(lib, id));
      cli.print(p, () =>
        [
          `${p.name}${p.demo ? ' (demo)' : ''}  ${p.id}`,
          `prompt: ${p.promptAudio.format}, ${p.promptAudio.sampleRate} Hz, ${p.promptAudio.channels} ch, ${p.promptAudio.duration.toFixed(2)} s`,
          `piano: ${p.tags.piano ?? '-'}  room: ${p.tags.room ?? '-'}  source: ${p.tags.source ?? '-'}`,
          `licence: ${p.licence}  consent: ${p.consent.kind}${p.consent.by ? ` by ${p.consent.by}` : ''}${p.recordedBy ? `  recorded by: ${p.recordedBy}` : ''}`,
          ...(p.notes ? [`notes: ${p.notes}`] : []),
        ].join('\n'),
      );
    });

  performers
    .command('remove')
    .description('move a performer to the trash (refused while renders use it, unless --force)')
    .argument('<id>', 'performer id')
    .option('--force', 'also move the renders that use this performer to the trash')
    .exitOverride()
    .action(async (id: string, opts: { force?: boolean }, command: Command) => {
      const cli = CliContext.from(command);
      const result = await cli.call('performers.remove', { id, force: Boolean(opts.force) });
      cli.print(
        { id, ...result },
        () =>
          `moved performer ${result.trash.label} to the trash${result.removedRenders ? ` with ${result.removedRenders} render(s)` : ''}; undo with "midi-valle trash restore ${result.trash.id}"`,
      );
      await cli.close();
    });
}
