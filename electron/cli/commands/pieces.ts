import type { Command } from 'commander';
import { CliContext } from '../context';
import { readInputFile } from '../read-input';

export function registerPieces(program: Command): void {
  const pieces = program.command('pieces').description('the MIDI performances of the library');

  pieces
    .command('import')
    .description('import a MIDI file (.mid/.midi) as a piece')
    .argument('<file>', 'MIDI file')
    .option('--title <text>', "title (default: the file's own track name / text, else the file name)")
    .exitOverride()
    .action(async (file: string, opts: { title?: string }, command: Command) => {
      const cli = CliContext.from(command);
      const piece = await cli.call('pieces.import', {
        file: readInputFile(file, 'MIDI file'),
        ...(opts.title ? { title: opts.title } : {}),
      });
      cli.print(piece, () =>
        piece.existing
          ? `already in the library: ${piece.title} (${piece.id}) holds the same MIDI; opened it instead of adding a copy`
          : `imported ${piece.title} (${piece.id}): ${piece.noteCount} notes, ${piece.duration.toFixed(1)} s`,
      );
      await cli.close();
    });

  pieces
    .command('list')
    .description('list pieces')
    .exitOverride()
    .action(async (_opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const list = await cli.call('pieces.list', {});
      cli.print(list, () =>
        list.length
          ? list.map((p) => `${p.id}  ${p.title}  ${p.noteCount} notes  ${p.duration.toFixed(1)} s`).join('\n')
          : 'no pieces',
      );
      await cli.close();
    });

  pieces
    .command('show')
    .description('show a piece with its segments')
    .argument('<id>', 'piece id')
    .exitOverride()
    .action(async (id: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const piece = await cli.call('pieces.get', { id });
      const { notes: _notes, ...rest } = piece;
      // People count segments from 1; JSON keeps the 0-based index beside the number.
      const segments = piece.segments.map((s) => ({ ...s, number: s.index + 1 }));
      cli.print({ ...(cli.json ? piece : rest), segments }, () =>
        [
          `${piece.title}  ${piece.id}`,
          `${piece.noteCount} notes, ${piece.duration.toFixed(1)} s, ${piece.trackCount} track(s), ${piece.pedalCount} pedal events`,
          ...segments.map(
            (s) => `segment ${s.number}: ${s.start.toFixed(2)}–${s.end.toFixed(2)} s, ${s.noteCount} notes`,
          ),
          ...piece.warnings.map((w) => `warning: ${w}`),
        ].join('\n'),
      );
      await cli.close();
    });
}
