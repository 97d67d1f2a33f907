import { loadPackManifest } from '../../engine/pack';
import { getPerformer, storageFailure } from '../../library';
import type { Handler } from '../handlers';
import { engineFor } from './engine-session';
import { findPack, importPack, listPacks, packSummary, removePack } from './pack-registry';
import { promptCodes } from './prompt-codes';

export const packsList: Handler<'packs.list'> = async (_args, ctx) => (await listPacks(ctx.home)).map(packSummary);

export const packsImport: Handler<'packs.import'> = async (args, ctx) => {
  let installed;
  try {
    installed = await importPack(ctx.home, args.path);
  } catch (error) {
    // A full or read-only library disk is one "unavailable" line, never a raw ENOSPC.
    throw storageFailure(error, ctx.home);
  }
  const pack = packSummary(installed);
  ctx.events.emit({ type: 'library.changed', what: 'packs' });
  return pack;
};

export const packsVerify: Handler<'packs.verify'> = async (args, ctx) => {
  const pack = await findPack(ctx.home, args.id);
  try {
    await loadPackManifest(pack.manifest.dir, { verifyChecksums: true });
    return { ok: true, problems: [] };
  } catch (error) {
    return { ok: false, problems: [error instanceof Error ? error.message : String(error)] };
  }
};

export const packsRemove: Handler<'packs.remove'> = async (args, ctx) => {
  await removePack(ctx.home, args.id);
  ctx.events.emit({ type: 'library.changed', what: 'packs' });
  return { removed: true };
};

export const packsPrepare: Handler<'packs.prepare'> = async (args, ctx) => {
  const pack = await findPack(ctx.home, args.id);
  const performer = args.performerId ? getPerformer(ctx.library(), args.performerId) : undefined;
  const started = performance.now();
  const { client, info } = await engineFor(ctx, pack);
  if (performer) await promptCodes(ctx.library(), performer, pack, client);
  return {
    id: pack.manifest.id,
    provider: info.provider,
    seconds: Math.round(performance.now() - started) / 1000,
    promptReady: performer !== undefined,
  };
};
