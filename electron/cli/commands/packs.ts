import type { Command } from 'commander';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { registerPacksInstall } from './packs-install';

const size = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

export function registerPacks(program: Command): void {
  const packs = program.command('packs').description('neural model packs (MIDI-VALLE as ONNX graphs)');

  packs
    .command('list')
    .description('list installed packs')
    .exitOverride()
    .action(async (_opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const list = await cli.call('packs.list', {});
      cli.print(list, () =>
        list.length
          ? list
              .map(
                (p) =>
                  `${p.id}  ${p.displayName}  ${p.precision}  ${size(p.sizeBytes)}${p.builtIn ? '  (built in)' : ''}${p.randomWeights ? '  [noise: for testing]' : ''}\n    licence: ${p.licence}`,
              )
              .join('\n')
          : 'no model packs; download the official weights and run `midi-valle packs install --valle best-valid-loss.pt --codec compression_32khz_new.bin`',
      );
      await cli.close();
    });

  packs
    .command('import')
    .description('install a pack from a folder or .zip (checksums verified first)')
    .argument('<path>', 'pack folder or .zip')
    .exitOverride()
    .action(async (path: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const pack = await cli.call('packs.import', { path });
      cli.print(pack, () => `installed ${pack.displayName} (${pack.id}) — licence: ${pack.licence}`);
      await cli.close();
    });

  registerPacksInstall(packs);

  packs
    .command('verify')
    .description('check a pack: manifest, graphs and checksums')
    .argument('<id>', 'pack id')
    .exitOverride()
    .action(async (id: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const report = await cli.call('packs.verify', { id });
      cli.print(report, () => (report.ok ? `${id}: ok` : report.problems.map((p) => `${id}: ${p}`).join('\n')));
      await cli.close();
      if (!report.ok) throw new CliError(EXIT.badInput, `model pack ${id} failed verification`);
    });

  packs
    .command('prepare')
    .description(
      "start the engine and load a pack on the settings' device (with --performer, also encode that performer's prompt for it); prints how long it took",
    )
    .argument('<id>', 'pack id')
    .option('--performer <id>', 'performer whose prompt to encode ahead of a render')
    .exitOverride()
    .action(async (id: string, opts: { performer?: string }, command: Command) => {
      const cli = CliContext.from(command);
      const ready = await cli.call('packs.prepare', { id, ...(opts.performer ? { performerId: opts.performer } : {}) });
      const prompt = ready.promptReady ? ', prompt encoded' : '';
      cli.print(ready, () => `${id}: ready on ${ready.provider}${prompt} in ${ready.seconds.toFixed(1)} s`);
      await cli.close();
    });

  packs
    .command('remove')
    .description('uninstall a pack')
    .argument('<id>', 'pack id')
    .exitOverride()
    .action(async (id: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const result = await cli.call('packs.remove', { id });
      cli.print(result, () => `removed ${id}`);
      await cli.close();
    });
}
