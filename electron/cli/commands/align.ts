import type { Command } from 'commander';
import { CliContext } from '../context';
import { readInputFile } from '../read-input';

/** Stretches longer than this with no match are worth a line (a repeat taken in one file only, a cut). */
const GAP_WORTH_NOTING = 5;

export function registerAlign(program: Command): void {
  program
    .command('align')
    .description('align a performance MIDI to a reference (score or another performance) of the same work')
    .argument('<perf>', 'performance MIDI file')
    .requiredOption('--to <ref>', 'reference MIDI file: the score, or another performance')
    .option('--force', 'align even when the files do not look like the same piece')
    .exitOverride()
    .action(async (perfPath: string, opts: { to: string; force?: boolean }, command: Command) => {
      const cli = CliContext.from(command);
      const result = await cli.call('works.align', {
        perf: { file: readInputFile(perfPath, 'performance MIDI') },
        ref: { file: readInputFile(opts.to, 'reference MIDI') },
        ...(opts.force ? { force: true } : {}),
      });
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
        ].join('\n'),
      );
      await cli.close();
    });
}
