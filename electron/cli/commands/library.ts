import type { Command } from 'commander';
import { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { numberOption } from '../read-input';

export function registerLibrary(program: Command): void {
  const library = program
    .command('library')
    .description('check, clean, export and import the library (projects, takes, performers)');

  library
    .command('check')
    .description('check the database and the blob store against each other')
    .option(
      '--repair',
      'fix what is safe to fix (damaged blobs aside, takes without audio removed, stale temp files deleted)',
    )
    .option('--no-verify', 'only check that blobs exist, without hashing their contents')
    .exitOverride()
    .action(async (opts: { repair?: boolean; verify: boolean }, command: Command) => {
      const cli = CliContext.from(command);
      const report = await cli.call('library.check', { repair: Boolean(opts.repair), verifyHashes: opts.verify });
      await cli.close();
      cli.print(report, () =>
        report.problems.length === 0
          ? `library ok (${report.checkedBlobs} blobs checked)`
          : [
              ...report.problems.map(
                (p) => `${p.repaired ? 'repaired' : p.repairable ? 'repairable' : 'problem'}: ${p.kind}: ${p.detail}`,
              ),
              report.ok
                ? 'all problems repaired'
                : `${report.problems.filter((p) => !p.repaired).length} problem(s) left${opts.repair ? '' : '; run with --repair to fix the repairable ones'}`,
            ].join('\n'),
      );
      if (!report.ok) throw new CliError(EXIT.runtime, 'the library has problems (listed above)');
    });

  library
    .command('gc')
    .description('empty the trash, then delete blobs no project, performer or take uses any more')
    .option('--keep-trash', 'do not empty the trash (its blobs are kept)')
    .option('--grace-minutes <n>', 'keep unreferenced blobs younger than this (default 60)')
    .option('--dry-run', 'only report what would be deleted')
    .exitOverride()
    .action(async (opts: { graceMinutes?: string; dryRun?: boolean; keepTrash?: boolean }, command: Command) => {
      const cli = CliContext.from(command);
      const minutes = numberOption(opts.graceMinutes, '--grace-minutes', (n) => Number.isInteger(n) && n >= 0);
      const report = await cli.call('library.gc', {
        dryRun: Boolean(opts.dryRun),
        keepTrash: Boolean(opts.keepTrash),
        ...(minutes !== undefined ? { graceMinutes: minutes } : {}),
      });
      await cli.close();
      cli.print(
        report,
        () =>
          `${report.trashEmptied ? `${report.dryRun ? 'would empty' : 'emptied'} the trash (${report.trashEmptied} item(s)); ` : ''}${report.dryRun ? 'would remove' : 'removed'} ${report.removedBlobs} blob(s), ${(report.freedBytes / 1e6).toFixed(1)} MB, and ${report.removedTemps} temp file(s); kept ${report.keptYoung} recent unreferenced blob(s)`,
      );
    });

  library
    .command('projects')
    .description('list the projects')
    .exitOverride()
    .action(async (_opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const projects = await cli.call('projects.list', {});
      await cli.close();
      cli.print(projects, () =>
        projects.length ? projects.map((p) => `${p.id}  ${p.name}  (${p.pieces} piece(s))`).join('\n') : 'no projects',
      );
    });

  library
    .command('export')
    .description('export a project (pieces, performers, chosen takes) to one .zip bundle')
    .argument('<project>', 'project id')
    .requiredOption('--out <file>', 'the .zip to write')
    .exitOverride()
    .action(async (projectId: string, opts: { out: string }, command: Command) => {
      const cli = CliContext.from(command);
      const result = await cli.call('library.exportBundle', { projectId, path: opts.out });
      await cli.close();
      cli.print(
        result,
        () =>
          `wrote ${result.path} (${(result.bytes / 1e6).toFixed(1)} MB): ${result.pieces} piece(s), ${result.performers} performer(s), ${result.takes} take(s)`,
      );
    });

  library
    .command('import')
    .description('import a project bundle as a new project (checked completely before anything is written)')
    .argument('<bundle>', 'the .zip to read')
    .exitOverride()
    .action(async (file: string, _opts: unknown, command: Command) => {
      const cli = CliContext.from(command);
      const result = await cli.call('library.importBundle', { path: file });
      await cli.close();
      cli.print(
        result,
        () =>
          `imported "${result.projectName}" as ${result.projectId}: ${result.pieces} piece(s), ${result.renders} render(s), ${result.takes} take(s), ${result.performersAdded} new performer(s)`,
      );
    });
}
