import type { Command } from 'commander';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { numberOption } from '../read-input';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a render as a mix or as stems (per hand or per track)')
    .argument('<render>', 'render id')
    .option('--kind <kind>', 'mix | stems-hands | stems-tracks', 'mix')
    .option('--format <format>', 'wav | flac | mp3', 'wav')
    .option('--bit-depth <bits>', '16, 24 or 32 (32 = float WAV)')
    .option('--rate <hz>', '32000, 44100 or 48000', '48000')
    .option('--normalize <lufs>', 'integrated loudness target, e.g. -16 (default: none)')
    .requiredOption('--out <dir>', 'folder to write the files into')
    .exitOverride()
    .action(async (renderId: string, opts: Record<string, string | undefined>, command: Command) => {
      const cli = CliContext.from(command);
      const kind = opts.kind as 'mix' | 'stems-hands' | 'stems-tracks';
      const format = opts.format as 'wav' | 'flac' | 'mp3';
      if (!['mix', 'stems-hands', 'stems-tracks'].includes(kind))
        throw new CliError(EXIT.usage, `--kind must be mix, stems-hands or stems-tracks (got "${kind}")`);
      if (!['wav', 'flac', 'mp3'].includes(format))
        throw new CliError(EXIT.usage, `--format must be wav, flac or mp3 (got "${format}")`);
      const bitDepth = numberOption(opts.bitDepth, '--bit-depth', (n) => [16, 24, 32].includes(n)) as
        16 | 24 | 32 | undefined;
      const sampleRate = numberOption(opts.rate, '--rate', (n) => [32000, 44100, 48000].includes(n)) as
        32000 | 44100 | 48000;
      const normalize = numberOption(opts.normalize, '--normalize', (n) => n >= -40 && n <= -5);
      const result = await cli.call('exports.run', {
        renderId,
        kind,
        format,
        sampleRate,
        destination: opts.out!,
        ...(bitDepth ? { bitDepth } : {}),
        ...(normalize !== undefined ? { normalize } : {}),
      });
      cli.print(result, () => result.files.map((f) => `wrote ${f.path} (${f.duration.toFixed(2)} s)`).join('\n'));
      await cli.close();
    });
}
