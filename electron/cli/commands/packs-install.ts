import { randomUUID } from 'node:crypto';
import { Option, type Command } from 'commander';
import { CliContext } from '../context';
import { createProgress } from '../progress';

interface InstallOpts {
  valle: string;
  codec: string;
  precision: 'fp32' | 'int8';
  name?: string;
  id?: string;
  heads?: string;
  draft: boolean;
}

/** `packs install`: the official checkpoints -> an installed pack, without Python (electron/engine/install). */
export function registerPacksInstall(packs: Command): void {
  packs
    .command('install')
    .description('make a pack from the official MIDI-VALLE checkpoints (Zenodo 15976272) and install it')
    .requiredOption('--valle <file>', 'MIDI-VALLE checkpoint (best-valid-loss.pt)')
    .requiredOption('--codec <file>', 'Piano-Encodec checkpoint (compression_32khz_new.bin)')
    .addOption(new Option('--precision <precision>', 'weights').choices(['fp32', 'int8']).default('fp32'))
    .option('--name <name>', 'display name (default "MIDI-VALLE (official weights)")')
    .option('--id <id>', 'pack id (default midi-valle-official)')
    .option('--heads <n>', 'attention heads when the checkpoint does not say (default d_model/64)')
    .option('--no-draft', 'fp32: leave out the int8 draft decoder that speeds up batch-1 renders (saves 0.15 GB)')
    .exitOverride()
    .action(async (opts: InstallOpts, command: Command) => {
      const cli = CliContext.from(command);
      const jobId = randomUUID();
      const progress = createProgress(!cli.json);
      const unsubscribe = cli.services().events.subscribe((event) => {
        if (event.type === 'job.progress' && event.jobId === jobId)
          progress.update(event.done, event.total, event.stage);
      });
      // Ctrl-C cancels the job, which removes its temporary folder, instead of leaving a partial pack behind.
      const onInterrupt = () => void cli.services().dispatch('packs.cancelInstall', { jobId });
      process.once('SIGINT', onInterrupt);
      try {
        const pack = await cli.call('packs.install', {
          valle: opts.valle,
          codec: opts.codec,
          precision: opts.precision,
          draft: opts.draft,
          jobId,
          ...(opts.name ? { name: opts.name } : {}),
          ...(opts.id ? { id: opts.id } : {}),
          ...(opts.heads ? { heads: Number(opts.heads) } : {}),
        });
        cli.print(
          pack,
          () => `installed ${pack.displayName} (${pack.id}, ${pack.precision}) — licence: ${pack.licence}`,
        );
      } finally {
        progress.stop();
        process.off('SIGINT', onInterrupt);
        unsubscribe();
        await cli.close();
      }
    });
}
