import type { Command } from 'commander';
import { findPerformerByName, getPerformer, listPerformers, removePerformer } from '../../library';
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
    .description('show a performer and its profile for the sampled grand (fitted on first use)')
    .argument('<name|id>', 'performer name or id')
    .exitOverride()
    .action(async (wanted: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const p = await withLibrary(cli, (lib) => findPerformerByName(lib, wanted) ?? getPerformer(lib, wanted));
      const profile = await cli.call('performers.profile', { id: p.id });
      const f = (xs: number[], digits = 1) => xs.map((x) => x.toFixed(digits)).join(' ');
      cli.print({ ...p, profile }, () =>
        [
          `${p.name}${p.demo ? ' (demo)' : ''}  ${p.id}`,
          `prompt: ${p.promptAudio.format}, ${p.promptAudio.sampleRate} Hz, ${p.promptAudio.channels} ch, ${p.promptAudio.duration.toFixed(2)} s`,
          `piano: ${p.tags.piano ?? '-'}  room: ${p.tags.room ?? '-'}  source: ${p.tags.source ?? '-'}`,
          `licence: ${p.licence}  consent: ${p.consent.kind}${p.consent.by ? ` by ${p.consent.by}` : ''}`,
          ...(p.notes ? [`notes: ${p.notes}`] : []),
          `profile ${profile.version}${profile.lowConfidence ? ' (low confidence)' : ''}: log-mel distance ${profile.fit.distanceBeforeDb.toFixed(2)} dB plain → ${profile.fit.distanceAfterDb.toFixed(2)} dB matched; alignment ${profile.alignment.score.toFixed(2)}`,
          `  tone dB (third octaves ${Math.round(profile.tone.centres[0]!)} Hz–${Math.round(profile.tone.centres.at(-1)! / 1000)} kHz): ${f(profile.tone.gainsDb)}`,
          `  room: wet ${profile.room.wetDb.toFixed(1)} dB, decay s (octaves ${Math.round(profile.room.centres[0]!)} Hz–${Math.round(profile.room.centres.at(-1)! / 1000)} kHz): ${f(profile.room.decaySeconds, 2)}`,
          `  touch dB at velocity ${profile.touch.velocities.join('/')}: ${f(profile.touch.gainsDb)}`,
          ...(profile.alignment.warning ? [`warning: ${profile.alignment.warning}`] : []),
        ].join('\n'),
      );
      await cli.close();
    });

  performers
    .command('remove')
    .description('remove a performer (refused while renders use it, unless --force)')
    .argument('<id>', 'performer id')
    .option('--force', 'also delete the renders that use this performer')
    .exitOverride()
    .action(async (id: string, opts: { force?: boolean }, command: Command) => {
      const cli = CliContext.from(command);
      const result = await withLibrary(cli, (lib) => removePerformer(lib, id, { force: Boolean(opts.force) }));
      cli.print(
        { id, ...result },
        () => `removed performer ${id}${result.removedRenders ? ` and ${result.removedRenders} render(s)` : ''}`,
      );
    });
}
