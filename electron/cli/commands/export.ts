import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { MP3_BITRATES } from '../../contract/methods/exports';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { createProgress } from '../progress';
import { numberOption } from '../read-input';

const signed = (value: number | null, unit: string): string =>
  value === null ? `silent` : `${value > 0 ? '+' : ''}${value.toFixed(1)} ${unit}`;

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a render as a mix, or as stems with their mix (per hand or per track)')
    .argument('<render>', 'render id')
    .option('--kind <kind>', 'mix | stems-hands | stems-tracks', 'mix')
    .option('--format <format>', 'wav | flac | mp3', 'wav')
    .option('--bit-depth <bits>', '16, 24 or 32 (32 = float WAV)')
    .option('--rate <hz>', '32000, 44100 or 48000', '48000')
    .option('--normalize [lufs]', 'normalise the mix to this integrated loudness (bare: -16); default: none')
    .option(
      '--true-peak <dbtp>',
      'true-peak ceiling of the normalised mix, and where clipping exports are lowered to',
      '-1',
    )
    .option('--on-clip <mode>', 'attenuate | error | keep (keep: 32-bit float WAV only)', 'attenuate')
    .option('--mp3-bitrate <kbps>', `MP3 constant bit rate: ${MP3_BITRATES.join(', ')} (default 192 stereo, 128 mono)`)
    .requiredOption('--out <dir>', 'folder to write the files into')
    .exitOverride()
    .action(async (renderId: string, opts: Record<string, string | boolean | undefined>, command: Command) => {
      const cli = CliContext.from(command);
      const text = (name: string) => (typeof opts[name] === 'string' ? (opts[name] as string) : undefined);
      const kind = text('kind') as 'mix' | 'stems-hands' | 'stems-tracks';
      const format = text('format') as 'wav' | 'flac' | 'mp3';
      const onClip = text('onClip') as 'attenuate' | 'error' | 'keep';
      if (!['mix', 'stems-hands', 'stems-tracks'].includes(kind))
        throw new CliError(EXIT.usage, `--kind must be mix, stems-hands or stems-tracks (got "${kind}")`);
      if (!['wav', 'flac', 'mp3'].includes(format))
        throw new CliError(EXIT.usage, `--format must be wav, flac or mp3 (got "${format}")`);
      if (!['attenuate', 'error', 'keep'].includes(onClip))
        throw new CliError(EXIT.usage, `--on-clip must be attenuate, error or keep (got "${onClip}")`);
      const bitDepth = numberOption(text('bitDepth'), '--bit-depth', (n) => [16, 24, 32].includes(n)) as
        16 | 24 | 32 | undefined;
      const sampleRate = numberOption(text('rate'), '--rate', (n) => [32000, 44100, 48000].includes(n)) as
        32000 | 44100 | 48000;
      const normalize =
        opts.normalize === true ? -16 : numberOption(text('normalize'), '--normalize', (n) => n >= -40 && n <= -5);
      const truePeakCeiling = numberOption(text('truePeak'), '--true-peak', (n) => n >= -12 && n <= 0)!;
      const mp3Kbps = numberOption(text('mp3Bitrate'), '--mp3-bitrate', (n) =>
        (MP3_BITRATES as readonly number[]).includes(n),
      );
      if (onClip === 'keep' && !(format === 'wav' && bitDepth === 32))
        throw new CliError(
          EXIT.usage,
          '--on-clip keep keeps overs only in 32-bit float WAV (--format wav --bit-depth 32)',
        );

      const studio = cli.services();
      const jobId = randomUUID();
      const progress = createProgress(!cli.json);
      let stopped = false;
      const stopProgress = () => {
        if (!stopped) progress.stop();
        stopped = true;
      };
      const off = studio.events.subscribe((event) => {
        if (event.type === 'export.progress' && event.jobId === jobId) progress.update(event.percent, 100, event.stage);
      });
      // Ctrl+C cancels the export cleanly: no file, temporary or final, is left behind.
      const onSignal = () => void studio.dispatch('exports.cancel', { jobId });
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const result = await cli.call('exports.run', {
          renderId,
          kind,
          format,
          sampleRate,
          destination: text('out')!,
          truePeakCeiling,
          onClip,
          jobId,
          ...(bitDepth ? { bitDepth } : {}),
          ...(normalize !== undefined ? { normalize } : {}),
          ...(mp3Kbps ? { mp3Kbps } : {}),
        });
        stopProgress();
        cli.print(result, () =>
          [
            ...result.files.map(
              (f) =>
                `wrote ${f.path ?? f.name} (${f.role}, ${f.duration.toFixed(2)} s, ${signed(f.loudness, 'LUFS')}, true peak ${signed(f.truePeak, 'dBTP')})`,
            ),
            ...result.notes.map((n) => `note: ${n}`),
          ].join('\n'),
        );
      } finally {
        stopProgress();
        off();
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        await cli.close();
      }
    });
}
