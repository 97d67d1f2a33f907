import { Option, type Command } from 'commander';
import { StudioFailure } from '../../contract/result';
import { PEDAL_MODES, readMidiFile, segmentPerformance, SEGMENTER_MODES, type SegmenterMode } from '../../midi';
import { CliContext } from '../context';
import { CliError, EXIT, exitCodeFor } from '../exit-codes';

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
          segments: segments.map((s) => ({
            index: s.index,
            number: s.index + 1,
            start: round3(s.start),
            end: round3(s.end),
            notes: s.noteIndices.length,
          })),
        };
      });
      cli.print(report, () =>
        [
          `${report.file}: ${report.notes} notes, ${report.duration.toFixed(2)} s, pitches ${report.stats.pitchRange.join('–')}`,
          `format ${report.stats.format}, ${report.stats.ticksPerQuarter || 'SMPTE'} ticks/quarter, ${report.stats.tempoChanges} tempo${report.stats.tempoChanges === 1 ? '' : 's'}`,
          ...report.tracks.map(
            (t) =>
              `track ${t.index}${t.name ? ` "${t.name}"` : ''}: ${t.noteCount} notes on channel ${t.channels.map((c) => c + 1).join(', ')}`,
          ),
          `pedal events: sustain ${report.pedals.sustain}, sostenuto ${report.pedals.sostenuto}, soft ${report.pedals.soft}`,
          `hands (${report.hands.method}): left ${report.hands.left}, right ${report.hands.right}`,
          ...report.warnings.map((w) => `warning: ${w}`),
          `${report.segments.length} segment${report.segments.length === 1 ? '' : 's'} (${report.segmenter}):`,
          ...report.segments.map(
            (s) =>
              `  ${String(s.number).padStart(3)}  ${s.start.toFixed(3).padStart(9)} – ${s.end.toFixed(3).padStart(9)} s  ${String(s.notes).padStart(5)} notes`,
          ),
        ].join('\n'),
      );
    });
}

// Shared with `tokenize` (the MIDI commands' options and error mapping).
export const segmenterOption = () =>
  new Option('--segmenter <mode>', 'how to cut the piece into 15–20 s segments')
    .choices(SEGMENTER_MODES)
    .default('musical');

export const pedalOption = () =>
  new Option('--pedal <mode>', 'ignore the sustain pedal (official) or fold it into note lengths')
    .choices(PEDAL_MODES)
    .default('ignore');

/** Runs domain code, turning a StudioFailure into the CLI's error line and exit code. */
export async function asCli<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StudioFailure) throw new CliError(exitCodeFor(error.code), error.message);
    throw error;
  }
}

export function parseIndex(value: string, what: string): number {
  if (!/^\d+$/.test(value))
    throw new CliError(EXIT.usage, `${what} must be a whole number ≥ 0 (got ${JSON.stringify(value)})`);
  return Number(value);
}

export function parseSeconds(value: string, what: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new CliError(EXIT.usage, `${what} must be a time in seconds ≥ 0 (got ${JSON.stringify(value)})`);
  }
  return seconds;
}

export const round3 = (x: number) => Math.round(x * 1000) / 1000;
