import type { Command } from 'commander';
import { basename, dirname, extname, resolve } from 'node:path';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { JobWatch, type JobOutcome } from '../job-watch';
import { findPerformerId } from './performers';
import { DEVICE_CHOICES } from '../../shared/devices';
import { checkOutputFolder, numberOption, readInputFile } from '../read-input';
import { defaultPerformer, noiseWarning } from './render-notes';

interface RenderOptions {
  piece?: string;
  performer?: string;
  engine: string;
  pack?: string;
  seed?: string;
  temperature?: string;
  topK?: string;
  topP?: string;
  device?: string;
  batch?: string;
  segmenter?: string;
  pedal?: string;
  out?: string;
  normalize?: string;
  bitDepth?: string;
  rate?: string;
  match?: string;
}

const exportRate = (rate: number | undefined): 32000 | 44100 | 48000 =>
  rate === 32000 || rate === 44100 ? rate : 48000;

const FORMATS = { '.wav': 'wav', '.flac': 'flac', '.mp3': 'mp3' } as const;

function choice<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T))
    throw new CliError(EXIT.usage, `${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export function registerRender(program: Command): void {
  program
    .command('render')
    .description('render a MIDI file (or a piece of the library) with a performer')
    .argument('[file]', 'MIDI file to import and render (or use --piece)')
    .option('--piece <id>', 'render a piece already in the library')
    .option('--performer <name|id>', 'the performer whose prompt to continue (default: the first demo performer)')
    .option('--engine <kind>', 'neural | sampler', 'sampler')
    .option('--pack <id|dir>', 'model pack for the neural engine')
    .option('--seed <n>', 'random seed (0..4294967295)')
    .option('--temperature <t>', 'sampling temperature (official: 1)')
    .option('--top-k <k>', 'keep the k most likely codes (official: off)')
    .option('--top-p <p>', 'nucleus sampling mass (official: off)')
    .option('--device <device>', 'auto | cpu | cuda | dml | coreml | webgpu')
    .option('--batch <n>', 'segments generated together by the neural engine')
    .option('--segmenter <mode>', 'musical | official', 'musical')
    .option('--pedal <mode>', 'ignore | fold', 'ignore')
    .option('--out <file>', 'write the mix here (.wav, .flac or .mp3)')
    .option('--normalize <lufs>', 'normalise the written mix to this integrated loudness, e.g. -16')
    .option('--bit-depth <bits>', '16, 24 or 32 (float WAV)')
    .option('--rate <hz>', '32000, 44100 or 48000')
    .option(
      '--match <on|off>',
      "sampler: play through the performer's matched profile (on) or the plain grand (off)",
      'on',
    )
    .exitOverride()
    .action(async (file: string | undefined, opts: RenderOptions, command: Command) => {
      const cli = CliContext.from(command);
      if (!file && !opts.piece) throw new CliError(EXIT.usage, 'name a MIDI file to render, or --piece ID');
      const engine = choice(opts.engine, ['neural', 'sampler'] as const, '--engine')!;
      const format = opts.out ? FORMATS[extname(opts.out).toLowerCase() as keyof typeof FORMATS] : undefined;
      if (opts.out && !format)
        throw new CliError(EXIT.usage, `--out must end in .wav, .flac or .mp3 (got "${opts.out}")`);
      if (opts.out) checkOutputFolder(opts.out, '--out');
      const seed = numberOption(opts.seed, '--seed', (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff);
      const temperature = numberOption(opts.temperature, '--temperature', (n) => n > 0 && n <= 5);
      const topK = numberOption(opts.topK, '--top-k', (n) => Number.isInteger(n) && n >= 1 && n <= 2048);
      const topP = numberOption(opts.topP, '--top-p', (n) => n > 0 && n <= 1);
      const batch = numberOption(opts.batch, '--batch', (n) => Number.isInteger(n) && n >= 1 && n <= 16);
      const normalize = numberOption(opts.normalize, '--normalize', (n) => n >= -40 && n <= -5);
      const bitDepth = numberOption(opts.bitDepth, '--bit-depth', (n) => [16, 24, 32].includes(n)) as
        16 | 24 | 32 | undefined;
      const rate = numberOption(opts.rate, '--rate', (n) => [32000, 44100, 48000].includes(n)) as
        32000 | 44100 | 48000 | undefined;
      const device = choice(opts.device, DEVICE_CHOICES, '--device');
      const segmenter = choice(opts.segmenter, ['musical', 'official'] as const, '--segmenter');
      const pedal = choice(opts.pedal, ['ignore', 'fold'] as const, '--pedal');
      const match = choice(opts.match, ['on', 'off'] as const, '--match');

      // The performer first, then the file: a render that cannot start must not leave an imported piece
      // behind (and one that fails to start removes the piece it had just added).
      let performerId: string;
      if (opts.performer) performerId = await findPerformerId(cli, opts.performer);
      else {
        const fallback = defaultPerformer(await cli.call('performers.list', {}));
        if (!fallback) throw new CliError(EXIT.badInput, 'no performer yet: add one with `midi-valle performers add`');
        console.error(`performer: ${fallback.name} (the default; choose another with --performer)`);
        performerId = fallback.id;
      }
      const sampling = {
        ...(temperature ? { temperature } : {}),
        ...(topK ? { topK } : {}),
        ...(topP ? { topP } : {}),
      };
      const imported = opts.piece
        ? undefined
        : await cli.call('pieces.import', { file: readInputFile(file!, 'MIDI file') });
      const pieceId = opts.piece ?? imported!.id;
      const watch = new JobWatch(cli);
      let renderId: string;
      let outcome: JobOutcome;
      try {
        const started = await cli
          .call('renders.start', {
            pieceId,
            performerId,
            engine,
            ...(opts.pack ? { packId: opts.pack } : {}),
            ...(seed !== undefined ? { seed } : {}),
            ...(Object.keys(sampling).length ? { sampling } : {}),
            ...(device ? { device } : {}),
            ...(batch ? { batch } : {}),
            ...(segmenter ? { segmenter } : {}),
            ...(pedal ? { pedal } : {}),
            ...(match === 'off' ? { match: false } : {}),
          })
          .catch(async (error: unknown) => {
            if (imported && !imported.existing) await cli.call('pieces.remove', { id: imported.id, purge: true });
            throw error;
          });
        renderId = started.renderId;
        if (engine === 'neural') {
          const warning = noiseWarning(
            await cli.call('packs.list', {}),
            (await cli.call('renders.get', { id: renderId })).packId,
          );
          if (warning) console.error(warning);
        }
        outcome = await watch.wait(started.jobId);
      } finally {
        watch.close();
      }
      if (outcome.status === 'cancelled')
        throw new CliError(
          EXIT.runtime,
          `render ${renderId} was cancelled; resume it with \`midi-valle renders resume ${renderId}\``,
        );
      if (outcome.status === 'failed') throw new CliError(EXIT.runtime, outcome.message ?? 'the render failed');

      const detail = await cli.call('renders.get', { id: renderId });
      const exported = opts.out
        ? await cli.call('exports.run', {
            renderId,
            kind: 'mix',
            format: format!,
            // Without --rate the file keeps the render's own rate (the engine's), as the mix plays it.
            sampleRate: rate ?? exportRate(detail.mix?.sampleRate),
            destination: dirname(resolve(opts.out)),
            fileName: basename(opts.out),
            ...(bitDepth ? { bitDepth } : {}),
            ...(normalize !== undefined ? { normalize } : {}),
          })
        : undefined;
      const written = exported?.files[0];
      const result = {
        renderId,
        pieceId,
        performer: detail.performerName,
        engine: detail.engineLabel,
        provider: detail.provider,
        seed: detail.seed,
        segments: detail.segments.length,
        duration: detail.mix?.duration ?? null,
        loudness: written?.loudness ?? detail.mix?.loudness ?? null,
        out: written ?? null,
      };
      cli.print(result, () =>
        [
          `rendered ${detail.pieceTitle} with ${detail.performerName} — ${detail.engineLabel}${detail.provider ? ` on ${detail.provider}` : ''}, seed ${detail.seed}`,
          `${detail.segments.length} segment(s), ${(detail.mix?.duration ?? 0).toFixed(2)} s; render ${renderId}`,
          ...(written ? [`wrote ${written.path}`, ...(exported?.notes ?? []).map((n) => `note: ${n}`)] : []),
        ].join('\n'),
      );
      await cli.close();
    });
}
