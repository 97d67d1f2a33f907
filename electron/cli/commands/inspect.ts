import type { Command } from 'commander';
import { readMidiFile, segmentPerformance, type SegmenterMode } from '../../midi';
import { CliContext } from '../context';
import { asCli, round3, segmenterOption } from './midi-shared';

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('read a performance MIDI file and show its notes, pedals, warnings and segments')
    .argument('<file>', '.mid or .midi file (type 0 or 1)')
    .addOption(segmenterOption())
    .action(async (file: string, opts: { segmenter: SegmenterMode }, command: Command) => {
      const cli = CliContext.from(command);
      const report = await asCli(async () => {
        const { performance, stats } = await readMidiFile(file);
        const segments = segmentPerformance(performance, opts.segmenter);
        return {
          file,
          notes: performance.notes.length,
          duration: round3(performance.duration),
          tracks: performance.tracks,
          pedals: stats.pedalCounts,
          hands: {
            method: stats.hands,
            left: performance.notes.filter((n) => n.hand === 'left').length,
            right: performance.notes.filter((n) => n.hand === 'right').length,
          },
          warnings: performance.warnings,
          stats,
          segmenter: opts.segmenter,
          segments: segments.map((s) => ({ index: s.index, start: round3(s.start), end: round3(s.end), notes: s.noteIndices.length })),
        };
      });
      cli.print(report, () =>
        [
          `${report.file}: ${report.notes} notes, ${report.duration.toFixed(2)} s, pitches ${report.stats.pitchRange.join('–')}`,
          `format ${report.stats.format}, ${report.stats.ticksPerQuarter || 'SMPTE'} ticks/quarter, ${report.stats.tempoChanges} tempo${report.stats.tempoChanges === 1 ? '' : 's'}`,
          ...report.tracks.map((t) => `track ${t.index}${t.name ? ` "${t.name}"` : ''}: ${t.noteCount} notes on channel ${t.channels.map((c) => c + 1).join(', ')}`),
          `pedal events: sustain ${report.pedals.sustain}, sostenuto ${report.pedals.sostenuto}, soft ${report.pedals.soft}`,
          `hands (${report.hands.method}): left ${report.hands.left}, right ${report.hands.right}`,
          ...report.warnings.map((w) => `warning: ${w}`),
          `${report.segments.length} segment${report.segments.length === 1 ? '' : 's'} (${report.segmenter}):`,
          ...report.segments.map(
            (s) => `  ${String(s.index).padStart(3)}  ${s.start.toFixed(3).padStart(9)} – ${s.end.toFixed(3).padStart(9)} s  ${String(s.notes).padStart(5)} notes`,
          ),
        ].join('\n'),
      );
    });
}
