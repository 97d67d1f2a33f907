import type { Command } from 'commander';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { nameKey } from '../../shared/untrusted-text';

/** A performer named by id or by name (case-insensitive), through the contract's list. */
export async function findPerformerId(cli: CliContext, nameOrId: string): Promise<string> {
  const performers = await cli.call('performers.list', {});
  // Names compare as the library compares them: case-insensitively, after Unicode normalisation.
  const wanted = nameKey(nameOrId);
  const found = performers.find((p) => p.id === nameOrId) ?? performers.find((p) => nameKey(p.name) === wanted);
  if (!found) {
    const names = performers.map((p) => p.name).join(', ') || 'none yet: add one with `midi-valle performers add`';
    throw new CliError(EXIT.badInput, `no performer "${nameOrId}"; performers: ${names}`);
  }
  return found.id;
}

export function registerPerformers(program: Command): void {
  const performers = program.command('performers').description('the performers (prompt recordings) renders imitate');

  performers
    .command('list')
    .description('list performers')
    .exitOverride()
    .action(async (_opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const list = await cli.call('performers.list', {});
      cli.print(list, () =>
        list.length
          ? list
              .map(
                (p) =>
                  `${p.id}  ${p.name}${p.demo ? ' (demo)' : ''}  ${p.promptDuration.toFixed(1)} s prompt  ${p.licence ?? 'no licence given'}  ${p.renderCount} render(s)`,
              )
              .join('\n')
          : 'no performers',
      );
      await cli.close();
    });

  performers
    .command('show')
    .description('show a performer and its profile for the sampled grand (fitted on first use)')
    .argument('<performer>', 'performer name or id')
    .exitOverride()
    .action(async (nameOrId: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const p = await cli.call('performers.get', { id: await findPerformerId(cli, nameOrId) });
      const profile = await cli.call('performers.profile', { id: p.id });
      const f = (xs: number[], digits = 1) => xs.map((x) => x.toFixed(digits)).join(' ');
      cli.print({ ...p, profile }, () =>
        [
          `${p.name}${p.demo ? ' (demo)' : ''}  ${p.id}`,
          `prompt: ${p.prompt.format}, ${p.prompt.sampleRate} Hz, ${p.prompt.channels} ch, ${p.promptDuration.toFixed(2)} s`,
          `piano: ${p.tags.piano ?? '-'}  room: ${p.tags.room ?? '-'}  source: ${p.tags.source ?? '-'}`,
          `licence: ${p.licence ?? '-'}  consent: ${p.consent.kind}${p.consentBy ? ` by ${p.consentBy}` : ''}${p.consent.recordedBy ? `  recorded by: ${p.consent.recordedBy}` : ''}`,
          `${p.renderCount} render(s)`,
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
    .description('move a performer to the trash (refused while renders use it, unless --force)')
    .argument('<performer>', 'performer id or name')
    .option('--force', 'also move the renders that use this performer to the trash')
    .exitOverride()
    .action(async (nameOrId: string, opts: { force?: boolean }, command: Command) => {
      const cli = CliContext.from(command);
      const id = await findPerformerId(cli, nameOrId);
      const result = await cli.call('performers.remove', { id, ...(opts.force ? { force: true } : {}) });
      cli.print(
        { id, ...result },
        () =>
          `moved performer ${result.trash.label} to the trash${result.removedRenders ? ` with ${result.removedRenders} render(s)` : ''}; undo with "midi-valle trash restore ${result.trash.id}"`,
      );
      await cli.close();
    });
}
