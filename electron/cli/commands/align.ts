import { extname } from 'node:path';
import type { Command } from 'commander';
import type { CurveRow } from '../../midi/align';
import { curvesCsv } from '../../shared/curves-csv';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { readInputFile } from '../read-input';
import { writeOutputFile } from '../write-output';

/** Stretches longer than this with no match are worth a line (a repeat taken in one file only, a cut). */
const GAP_WORTH_NOTING = 5;

export function registerAlign(program: Command): void {
  program
    .command('align')
    .description('align a performance MIDI to a reference (score or another performance) of the same work')
    .argument('<perf>', 'performance MIDI file')
    .requiredOption('--to <ref>', 'reference MIDI file: the score, or another performance')
    .option('--force', 'align even when the files do not look like the same piece')
    .option('--curves <file>', 'write tempo, dynamics and hand asynchrony per beat (.csv or .json)')
    .option('--beats <file>', "the reference's beats, a time in seconds a line (default: its MIDI bars and beats)")
    .exitOverride()
    .action(async (perfPath: string, opts: AlignOptions, command: Command) => {
      const cli = CliContext.from(command);
      if (opts.curves && !['.csv', '.json'].includes(extname(opts.curves).toLowerCase()))
        throw new CliError(EXIT.usage, `--curves must name a .csv or .json file (got "${opts.curves}")`);
      const { curves, beatSource, ...result } = await cli.call('works.align', {
        perf: { file: readInputFile(perfPath, 'performance MIDI') },
        ref: { file: readInputFile(opts.to, 'reference MIDI') },
        ...(opts.force ? { force: true } : {}),
        ...(opts.curves ? { curves: true } : {}),
        ...(opts.beats ? { beats: readInputFile(opts.beats, 'beat list') } : {}),
      });
      if (opts.curves && curves) await writeCurves(opts.curves, curves);
      const { stats, map } = result;
      const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
      cli.print(result, () =>
        [
          `matched ${stats.matchedNotes} notes: ${pct(stats.refMatchedRatio)} of the reference's ${stats.refNotes}, ${pct(stats.perfMatchedRatio)} of the performance's ${stats.perfNotes}`,
          `performance ${map[0]![0].toFixed(2)}–${map.at(-1)![0].toFixed(2)} s ↔ reference ${map[0]![1].toFixed(2)}–${map.at(-1)![1].toFixed(2)} s (${stats.anchors} matched chords, ${map.length} map points; --json for the map)`,
          ...(stats.samePiece ? [] : ['warning: these do not look like the same piece (aligned because of --force)']),
          ...(stats.longestPerfGap > GAP_WORTH_NOTING
            ? [`note: ${stats.longestPerfGap.toFixed(1)} s of the performance have no counterpart in the reference`]
            : []),
          ...(stats.longestRefGap > GAP_WORTH_NOTING
            ? [`note: ${stats.longestRefGap.toFixed(1)} s of the reference have no counterpart in the performance`]
            : []),
          ...(opts.curves ? [`wrote ${curves?.length ?? 0} beats (${beatSource}) to ${opts.curves}`] : []),
        ].join('\n'),
      );
      await cli.close();
    });
}

interface AlignOptions {
  to: string;
  force?: boolean;
  curves?: string;
  beats?: string;
}

/** CSV (header, empty fields for missing values) or JSON rows; written beside and renamed, never partial. */
async function writeCurves(path: string, rows: CurveRow[]): Promise<void> {
  const text = extname(path).toLowerCase() === '.json' ? `${JSON.stringify(rows, null, 2)}\n` : curvesCsv(rows);
  await writeOutputFile(path, text);
}
