import { Option, type Command } from 'commander';
import {
  buildModelTokensCounted,
  encodeTokenNpy,
  readMidiFile,
  segmentNotes,
  segmentPerformance,
  tokenizeNotesCounted,
  tokenRows,
  TOKEN_COLUMNS,
  withPedal,
  type PedalMode,
  type SegmenterMode,
} from '../../midi';
import { StudioFailure } from '../../contract/result';
import { CliContext } from '../context';
import { asCli, parseSeconds, pedalOption, round3, segmenterOption } from './inspect';
import { segmentNumberOption } from './segment-numbers';
import { writeOutputFile } from '../write-output';

interface TokenizeOptions {
  prompt?: string;
  segmenter: SegmenterMode;
  pedal: PedalMode;
  segment?: string;
  targetOffset?: string;
  out?: string;
}

export function registerTokenize(program: Command): void {
  program
    .command('tokenize')
    .description("turn a MIDI file (or one segment of it, after a prompt) into MIDI-VALLE's token matrix")
    .argument('<file>', '.mid or .midi file')
    .option('--prompt <prompt.mid>', 'prompt MIDI put before the target, as the model reads it at inference')
    .addOption(segmenterOption())
    .addOption(pedalOption())
    .option(
      '--segment <n>',
      'tokenize only segment n (1 is the first, as `inspect` numbers them), re-timed to start at 0',
    )
    .addOption(
      new Option(
        '--target-offset <seconds>',
        "start the target this long after the prompt's start (default: the prompt MIDI's end; e.g. 3 = the prompt audio's length)",
      ),
    )
    .option('--out <file.npy>', 'write the tokens as an int64 (rows, 6) .npy file, as numpy writes it')
    .action(async (file: string, opts: TokenizeOptions, command: Command) => {
      const cli = CliContext.from(command);
      const result = await asCli(async () => {
        const { performance } = await readMidiFile(file);
        let target = withPedal(performance, opts.pedal);
        let segmentInfo: { index: number; number: number; start: number; end: number; notes: number } | undefined;
        if (opts.segment !== undefined) {
          const index = segmentNumberOption(opts.segment)!;
          const segments = segmentPerformance(performance, opts.segmenter);
          const segment = segments[index];
          if (!segment) {
            throw new StudioFailure(
              'invalid-argument',
              `--segment ${index + 1} does not exist: ${file} has ${segments.length} segments (1–${segments.length}) with --segmenter ${opts.segmenter}`,
            );
          }
          target = segmentNotes(performance, segment, { pedal: opts.pedal, folded: target });
          segmentInfo = {
            index,
            number: index + 1,
            start: round3(segment.start),
            end: round3(segment.end),
            notes: segment.noteIndices.length,
          };
        }
        let tokens;
        let report;
        if (opts.prompt !== undefined) {
          const prompt = (await readMidiFile(opts.prompt)).performance;
          const promptNotes = withPedal(prompt, opts.pedal);
          const targetOffset =
            opts.targetOffset === undefined ? undefined : parseSeconds(opts.targetOffset, '--target-offset');
          ({ tokens, report } = buildModelTokensCounted({ ...prompt, notes: promptNotes }, target, { targetOffset }));
        } else {
          if (opts.targetOffset !== undefined)
            throw new StudioFailure('invalid-argument', '--target-offset needs --prompt');
          ({ tokens, report } = tokenizeNotesCounted(target));
        }
        if (opts.out) {
          await writeOutputFile(opts.out, encodeTokenNpy(tokens));
        }
        return {
          file,
          prompt: opts.prompt ?? null,
          segment: segmentInfo ?? null,
          pedal: opts.pedal,
          rows: tokens.rows,
          notes: report.notes,
          dropped: { count: report.dropped, reasons: report.reasons },
          tokens,
        };
      });
      // Notes the official tokenization leaves out are said, on stderr (stdout may be --json or a pipe).
      for (const { count, reason } of result.dropped.reasons)
        process.stderr.write(`warning: ${count} of ${result.notes} notes not in the tokens: ${reason}\n`);
      const { tokens, ...summary } = result;
      if (opts.out) {
        cli.print(
          { ...summary, out: opts.out, columns: TOKEN_COLUMNS },
          () => `wrote ${opts.out}: ${tokens.rows} rows × 6 (BOS, ${tokens.rows - 2} notes, EOS)`,
        );
      } else {
        const rows = tokenRows(tokens);
        cli.print({ ...summary, columns: TOKEN_COLUMNS, tokens: rows }, () =>
          [TOKEN_COLUMNS.join('\t'), ...rows.map((r) => r.join('\t'))].join('\n'),
        );
      }
    });
}
