import type { Command } from 'commander';
import { extname } from 'node:path';
import { CliContext } from '../context';
import { CliError, EXIT, exitCodeFor } from '../exit-codes';
import { StudioFailure } from '../../contract/result';
import {
  durationSeconds,
  EXPORT_SAMPLE_RATES,
  integratedLoudness,
  normalizeLoudness,
  readAudioFile,
  truePeakDb,
  writeAudioFile,
  type ExportFormat,
  type ExportSampleRate,
} from '../../audio';

const FORMATS: Record<string, ExportFormat> = { '.wav': 'wav', '.flac': 'flac', '.mp3': 'mp3' };

/** Reads an audio file, turning domain failures and unreadable paths into CLI exit codes. */
async function readInput(path: string) {
  try {
    return await readAudioFile(path);
  } catch (error) {
    throw toCliError(error, path);
  }
}

function toCliError(error: unknown, path: string): unknown {
  if (error instanceof StudioFailure) return new CliError(exitCodeFor(error.code), error.message);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES')
    return new CliError(EXIT.badInput, `cannot read ${path} (${code})`);
  return error;
}

/** `midi-valle audio info|convert`: inspect and convert audio files with the studio's own audio code. */
export function registerAudio(program: Command): void {
  const audio = program.command('audio').description('inspect and convert audio files (WAV, FLAC, MP3, Ogg Vorbis)');

  audio
    .command('info')
    .description('show format, duration, integrated loudness (BS.1770-4) and true peak of an audio file')
    .argument('<file>', 'audio file')
    .action(async (file: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const data = await readInput(file);
      const info = {
        file,
        sampleRate: data.sampleRate,
        channels: data.channels.length,
        seconds: Math.round(durationSeconds(data) * 1000) / 1000,
        loudnessLufs: Math.round(integratedLoudness(data) * 10) / 10,
        truePeakDbtp: Math.round(truePeakDb(data) * 10) / 10,
      };
      cli.print(
        info,
        () =>
          `${file}: ${info.sampleRate} Hz, ${info.channels} ch, ${info.seconds} s, ${info.loudnessLufs} LUFS, ${info.truePeakDbtp} dBTP`,
      );
    });

  audio
    .command('convert')
    .description('convert an audio file; the output format follows the extension (.wav, .flac, .mp3)')
    .argument('<input>', 'audio file to read')
    .argument('<output>', 'file to write (atomically)')
    .option('--rate <hz>', 'output sample rate: 32000, 44100 or 48000')
    .option('--bits <n>', 'bit depth: 16 or 24 (wav also 32 = float)', '16')
    .option('--normalize [lufs]', 'normalise integrated loudness (default −16 LUFS, true peak ≤ −1 dBTP)')
    .action(
      async (
        input: string,
        output: string,
        opts: { rate?: string; bits: string; normalize?: string | boolean },
        command: Command,
      ) => {
        const cli = CliContext.from(command);
        const format = FORMATS[extname(output).toLowerCase()];
        if (!format)
          throw new CliError(
            EXIT.usage,
            `cannot tell the format from ${output}; end the name with .wav, .flac or .mp3`,
          );
        const rate = opts.rate === undefined ? undefined : Number(opts.rate);
        if (rate !== undefined && !(EXPORT_SAMPLE_RATES as readonly number[]).includes(rate)) {
          throw new CliError(EXIT.usage, `--rate must be 32000, 44100 or 48000, not ${opts.rate}`);
        }
        const bits = Number(opts.bits);
        if (![16, 24, 32].includes(bits) || (bits === 32 && format !== 'wav')) {
          throw new CliError(
            EXIT.usage,
            `--bits must be 16 or 24${format === 'wav' ? ' or 32' : ''}, not ${opts.bits}`,
          );
        }
        let data = await readInput(input);
        let loudness: number | undefined;
        if (opts.normalize !== undefined && opts.normalize !== false) {
          const target = typeof opts.normalize === 'string' ? Number(opts.normalize) : -16;
          if (!Number.isFinite(target))
            throw new CliError(EXIT.usage, `--normalize takes a loudness in LUFS, not ${opts.normalize}`);
          let result;
          try {
            result = normalizeLoudness(data, { targetLufs: target });
          } catch (error) {
            throw toCliError(error, input);
          }
          data = result.audio;
          loudness = Math.round(result.outputLufs * 10) / 10;
        }
        const bytes = await writeAudioFile(output, data, {
          format,
          bitDepth: bits as 16 | 24 | 32,
          sampleRate: rate as ExportSampleRate | undefined,
        });
        const summary = { input, output, format, bytes, ...(loudness !== undefined ? { loudnessLufs: loudness } : {}) };
        cli.print(
          summary,
          () => `wrote ${output} (${format}, ${bytes} bytes${loudness !== undefined ? `, ${loudness} LUFS` : ''})`,
        );
      },
    );
}
