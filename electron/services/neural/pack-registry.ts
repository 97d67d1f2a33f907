import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { StudioFailure } from '../../contract';
import type { PackSummary } from '../../contract/methods/packs';
import { GRAPH_KEYS, loadPackManifest, openPack, type PackManifest } from '../../engine/pack';
import { isContained } from '../../shared/contained-path';
import { projectRoot } from '../../shared/package-info';

/** Packs shipped with the app: the random-weight test pack, so the neural path can always be tried. */
export function builtInPackDirs(): string[] {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    join(projectRoot(), 'native-models', 'packs'),
    ...(resourcesPath ? [join(resourcesPath, 'packs')] : []),
  ];
  return candidates.flatMap((root) =>
    existsSync(root)
      ? readdirSync(root)
          .map((d) => join(root, d))
          .filter((d) => existsSync(join(d, 'pack.json')))
      : [],
  );
}

const installedRoot = (home: string) => join(home, 'packs');

function dirSize(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? dirSize(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
}

export interface InstalledPack {
  manifest: PackManifest;
  builtIn: boolean;
}

/** Every pack this library can use; broken ones are skipped here and reported by `packs verify`. */
export async function listPacks(home: string): Promise<InstalledPack[]> {
  const root = installedRoot(home);
  const installed = existsSync(root) ? readdirSync(root).map((d) => join(root, d)) : [];
  const out: InstalledPack[] = [];
  for (const [dirs, builtIn] of [
    [installed, false],
    [builtInPackDirs(), true],
  ] as const) {
    for (const dir of dirs) {
      try {
        out.push({ manifest: await loadPackManifest(dir, { verifyChecksums: false }), builtIn });
      } catch {
        // a damaged pack is not offered for rendering
      }
    }
  }
  return out;
}

export function packSummary(pack: InstalledPack): PackSummary {
  const m = pack.manifest;
  // The pack's own graphs: an fp32 pack's int8 draft decoder (optional) does not make it an int8 pack.
  const precisions = [...new Set(GRAPH_KEYS.map((key) => m.graphs[key].precision))];
  return {
    id: m.id,
    version: m.version,
    displayName: m.displayName,
    licence: m.licence,
    attribution: m.attribution,
    precision: precisions.join('/'),
    dir: m.dir,
    sizeBytes: dirSize(m.dir),
    builtIn: pack.builtIn,
    randomWeights: m.source.random !== undefined,
  };
}

/** A pack by id (or by folder), else the default: the first installed, then the built-in test pack. */
export async function findPack(home: string, idOrDir?: string): Promise<InstalledPack> {
  if (idOrDir && existsSync(join(idOrDir, 'pack.json'))) {
    return { manifest: await loadPackManifest(idOrDir), builtIn: false };
  }
  const packs = await listPacks(home);
  const pack = idOrDir ? packs.find((p) => p.manifest.id === idOrDir) : packs[0];
  if (!pack) {
    const known = packs.map((p) => p.manifest.id).join(', ') || 'none';
    throw new StudioFailure(
      idOrDir ? 'not-found' : 'unavailable',
      idOrDir ? `no model pack ${idOrDir}; installed: ${known}` : 'no model pack is installed',
    );
  }
  return pack;
}

/** Installs a pack folder or .zip into the library, verified (checksums included) before it is kept. */
export async function importPack(home: string, path: string): Promise<InstalledPack> {
  const source = resolve(path);
  const staging = join(installedRoot(home), `.import-${process.pid}-${Date.now()}`);
  mkdirSync(installedRoot(home), { recursive: true });
  try {
    const isDir = existsSync(source) && statSync(source).isDirectory();
    const opened = isDir ? await loadPackManifest(source) : await openPack(source, { extractTo: staging });
    const target = join(installedRoot(home), opened.id.replace(/[^A-Za-z0-9._-]/g, '_'));
    if (existsSync(target))
      throw new StudioFailure('invalid-argument', `model pack ${opened.id} is already installed; remove it first`);
    if (isDir) cpSync(source, staging, { recursive: true });
    const root = isDir ? staging : opened.dir;
    await loadPackManifest(root); // checksums verified before the pack is kept
    cpSync(root, target, { recursive: true });
    return { manifest: await loadPackManifest(target, { verifyChecksums: false }), builtIn: false };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Uninstalls a pack by its id. Only a pack installed in this library's packs folder can be removed,
 * and only that folder is deleted: never a folder named by path (that may be the user's own source).
 */
export async function removePack(home: string, id: string): Promise<void> {
  const packs = await listPacks(home);
  const pack = packs.find((p) => p.manifest.id === id);
  if (!pack) {
    const installed = packs.filter((p) => !p.builtIn).map((p) => p.manifest.id);
    const hint = /[\\/]/.test(id) ? ' (give the pack id that `packs list` shows, not a folder)' : '';
    throw new StudioFailure(
      'not-found',
      `no installed model pack ${id}${hint}; installed: ${installed.join(', ') || 'none'}`,
    );
  }
  if (pack.builtIn) throw new StudioFailure('invalid-argument', `model pack ${id} is built in and cannot be removed`);
  const root = installedRoot(home);
  const dir = pack.manifest.dir;
  if (dirname(resolve(dir)) !== resolve(root))
    throw new StudioFailure('invalid-argument', `model pack ${id} is not inside ${root}; it was not removed`);
  // A link someone placed in the packs folder is removed as a link: what it points at is not ours.
  if (lstatSync(dir).isSymbolicLink()) unlinkSync(dir);
  else if (isContained(root, dir)) rmSync(dir, { recursive: true, force: true });
  else throw new StudioFailure('invalid-argument', `model pack ${id} is not inside ${root}; it was not removed`);
}
