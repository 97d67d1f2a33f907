// packs.install: the official checkpoints -> an installed pack, run as a job (progress events, cancel). Both files
// are read and checked before the job starts, so a wrong file is refused before anything is written; the pack is
// written to a hidden folder inside the library's packs folder and renamed into place only when complete.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StudioFailure } from '../../contract';
import { prepareInstall, writePack } from '../../engine/install';
import { loadPackManifest } from '../../engine/pack';
import { projectRoot } from '../../shared/package-info';
import type { Handler } from '../handlers';
import { packSummary, type InstalledPack } from './pack-registry';

/** Where graph templates live: the source tree, and the packaged app's resources. */
export function templateRoots(): string[] {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  return [
    join(projectRoot(), 'native-models', 'templates'),
    ...(resourcesPath ? [join(resourcesPath, 'templates')] : []),
  ];
}

export const packsInstall: Handler<'packs.install'> = async (args, ctx) => {
  const prepared = await prepareInstall({
    valle: args.valle,
    codec: args.codec,
    precision: args.precision,
    draft: args.draft,
    templateRoots: templateRoots(),
    ...(args.id ? { id: args.id } : {}),
    ...(args.name ? { name: args.name } : {}),
    ...(args.heads ? { heads: args.heads } : {}),
  });
  const root = join(ctx.home, 'packs');
  const target = join(root, prepared.options.id.replace(/[^A-Za-z0-9._-]/g, '_'));
  if (existsSync(target)) {
    await prepared.close();
    throw new StudioFailure(
      'invalid-argument',
      `model pack ${prepared.options.id} is already installed; remove it first (midi-valle packs remove ${prepared.options.id}) or choose another --name/--id`,
    );
  }
  mkdirSync(root, { recursive: true });
  const jobId = args.jobId ?? randomUUID();
  const outcome: { pack?: InstalledPack; error?: unknown } = {};
  ctx.tasks.start({
    jobId,
    run: async (control) => {
      try {
        await writePack(prepared, target, (p) => control.progress(p.done, p.total, p.stage), control.signal);
        try {
          outcome.pack = { manifest: await loadPackManifest(target), builtIn: false };
        } catch (error) {
          rmSync(target, { recursive: true, force: true }); // written but unusable: do not keep it
          throw error;
        }
      } catch (error) {
        outcome.error = error;
        throw error;
      } finally {
        await prepared.close();
      }
    },
  });
  await ctx.tasks.wait(jobId);
  await prepared.close(); // the job may have been cancelled before it ran
  if (!outcome.pack) {
    if (outcome.error) throw outcome.error;
    throw new StudioFailure('cancelled', 'the install was cancelled; nothing was written');
  }
  ctx.events.emit({ type: 'library.changed', what: 'packs' });
  return packSummary(outcome.pack);
};

export const packsCancelInstall: Handler<'packs.cancelInstall'> = (args, ctx) => ({
  cancelled: ctx.tasks.cancel(args.jobId),
});
