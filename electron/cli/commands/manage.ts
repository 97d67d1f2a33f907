import type { Command } from 'commander';
import type { TrashItem } from '../../contract/methods/common';
import { CliContext } from '../context';

// Tidying the library from a terminal: rename and delete pieces, performers, renders and takes
// (deleted items go to the trash), and `trash list|restore|empty`. Every command calls the
// contract method the UI calls; --json prints its result.

/** The group a command joins (`pieces`, `performers`, ...), created when this build has none yet. */
function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

const undoHint = (item: TrashItem): string =>
  `moved ${item.kind} "${item.label}" to the trash${item.summary ? ` (with ${item.summary})` : ''}; undo with "midi-valle trash restore ${item.id}"`;

/** One subcommand: parse, call, print, close (the services hold the library open). */
function action<A extends unknown[]>(
  run: (cli: CliContext, ...args: A) => Promise<void>,
): (...args: [...A, unknown, Command]) => Promise<void> {
  return async (...all) => {
    const command = all[all.length - 1] as Command;
    const cli = CliContext.from(command);
    try {
      await run(cli, ...(all.slice(0, -2) as A));
    } finally {
      await cli.close();
    }
  };
}

export function registerManage(program: Command): void {
  const pieces = group(program, 'pieces', 'the MIDI performances of the library');
  pieces
    .command('rename')
    .description('rename a piece')
    .argument('<id>', 'piece id')
    .argument('<title>', 'the new title')
    .option('--composer <name>', 'also set the composer ("" clears it)')
    .exitOverride()
    .action(async (id: string, title: string, opts: { composer?: string }, command: Command) => {
      await action(async (cli) => {
        const piece = await cli.call('pieces.rename', {
          id,
          title,
          ...(opts.composer !== undefined ? { composer: opts.composer } : {}),
        });
        cli.print(
          piece,
          () => `renamed piece ${piece.id} to "${piece.title}"${piece.composer ? ` by ${piece.composer}` : ''}`,
        );
      })(opts, command);
    });
  pieces
    .command('delete')
    .description('move a piece with its renders and takes to the trash')
    .argument('<id>', 'piece id')
    .exitOverride()
    .action(
      action(async (cli, id: string) => {
        const result = await cli.call('pieces.remove', { id });
        cli.print(result, () => undoHint(result.trash!));
      }),
    );

  const performers = group(program, 'performers', 'the performers (prompt recordings) renders imitate');
  performers
    .command('rename')
    .description('rename a performer (names are unique, ignoring case)')
    .argument('<id>', 'performer id')
    .argument('<name>', 'the new name')
    .exitOverride()
    .action(
      action(async (cli, id: string, name: string) => {
        const performer = await cli.call('performers.rename', { id, name });
        cli.print(performer, () => `renamed performer ${performer.id} to "${performer.name}"`);
      }),
    );
  performers
    .command('delete')
    .description('move a performer to the trash; refused while renders use it (they are listed) unless --force')
    .argument('<id>', 'performer id')
    .option('--force', 'also move the renders that use this performer to the trash')
    .exitOverride()
    .action(async (id: string, opts: { force?: boolean }, command: Command) => {
      await action(async (cli) => {
        const result = await cli.call('performers.remove', { id, force: Boolean(opts.force) });
        cli.print(result, () => undoHint(result.trash));
      })(opts, command);
    });

  const renders = group(program, 'renders', 'list and inspect renders');
  renders
    .command('rename')
    .description('name a render ("" clears the name)')
    .argument('<id>', 'render id')
    .argument('<name>', 'the new name')
    .exitOverride()
    .action(
      action(async (cli, id: string, name: string) => {
        const render = await cli.call('renders.rename', { id, name });
        cli.print(render, () =>
          render.name ? `named render ${render.id} "${render.name}"` : `cleared the name of render ${render.id}`,
        );
      }),
    );
  renders
    .command('delete')
    .description('move a render with its takes to the trash (refused while it renders or holds locked takes)')
    .argument('<id>', 'render id')
    .option('--force', 'delete it even though it holds locked takes')
    .exitOverride()
    .action(async (id: string, opts: { force?: boolean }, command: Command) => {
      await action(async (cli) => {
        const result = await cli.call('renders.remove', { id, force: Boolean(opts.force) });
        cli.print(result, () => undoHint(result.trash));
      })(opts, command);
    });

  const takes = group(program, 'takes', 'list the takes of a render and choose which one plays');
  takes
    .command('delete')
    .description(
      'move a take to the trash (the only take of a segment is refused; deleting the chosen take chooses the newest other)',
    )
    .argument('<take>', 'take id')
    .exitOverride()
    .action(
      action(async (cli, takeId: string) => {
        const result = await cli.call('takes.remove', { takeId });
        cli.print(result, () =>
          [
            undoHint(result.trash),
            ...(result.chosenTakeId
              ? [`take ${result.chosenTakeId} now plays in its segment; the mix was rebuilt`]
              : []),
          ].join('\n'),
        );
      }),
    );

  const trash = program.command('trash').description('deleted pieces, performers, renders and takes, until emptied');
  trash
    .command('list')
    .description('what is in the trash, newest deletion first')
    .exitOverride()
    .action(
      action(async (cli) => {
        const list = await cli.call('trash.list', {});
        cli.print(list, () =>
          list.length
            ? list
                .map(
                  (t) =>
                    `${t.id}  ${t.deletedAt.slice(0, 19).replace('T', ' ')}  ${t.kind.padEnd(9)} ${t.label}${t.summary ? ` (with ${t.summary})` : ''}`,
                )
                .join('\n')
            : 'the trash is empty',
        );
      }),
    );
  trash
    .command('restore')
    .description('put a deleted item back (default: the newest deletion)')
    .argument('[id]', 'trash entry id (see "midi-valle trash list")')
    .exitOverride()
    .action(
      action(async (cli, id: string | undefined) => {
        const restored = await cli.call('trash.restore', id ? { id } : {});
        cli.print(restored, () => `restored ${restored.kind} "${restored.label}" (${restored.itemId})`);
      }),
    );
  trash
    .command('empty')
    .description('delete what is in the trash for good (its blobs go at the next "library gc")')
    .argument('[id]', 'only this trash entry')
    .exitOverride()
    .action(
      action(async (cli, id: string | undefined) => {
        const result = await cli.call('trash.empty', id ? { id } : {});
        cli.print(result, () => `removed ${result.removed} item(s) from the trash for good`);
      }),
    );
}
