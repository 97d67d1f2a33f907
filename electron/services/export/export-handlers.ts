import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { StudioFailure } from '../../contract';
import type { ExportSettings } from '../../contract/methods/exports';
import {
  dbToGain,
  encodeAudio,
  FORMAT_EXTENSIONS,
  normalizeLoudness,
  writeFileAtomic,
  type AudioData,
} from '../../audio';
import { getRender, listExports, recordExport, storageFailure } from '../../library';
import type { Handler, ServiceContext } from '../handlers';
import { assembleMix, playedTakes } from '../render/mix';
import { planOf } from '../render/plan';
import { isContained } from '../../shared/contained-path';
import { renderStems } from './stems';

const safeName = (text: string): string =>
  text
    .replace(/[^\p{L}\p{N} ._()-]+/gu, '_')
    .trim()
    .slice(0, 120) || 'render';

const scale = (audio: AudioData, gain: number): AudioData => ({
  sampleRate: audio.sampleRate,
  channels: audio.channels.map((c) => c.map((x) => x * gain)),
});

/**
 * Where an export goes. A browser client is remote code as far as the host machine is concerned: it may
 * only write inside the library's export folder (it downloads the files from there). Electron and the CLI
 * pass a folder the user picked in a host dialog or typed on the command line.
 */
function exportFolder(ctx: ServiceContext, destination: string | undefined): string {
  const root = join(ctx.home, 'exports');
  if (!destination) return join(root, randomUUID());
  if (ctx.host === 'web' && !isContained(root, destination))
    throw new StudioFailure(
      'invalid-argument',
      `exports.run: the browser host writes exports only inside the library's export folder ${root}; leave destination out and download the files`,
    );
  return resolve(destination);
}

export async function exportRender(ctx: ServiceContext, settings: ExportSettings) {
  const dir = exportFolder(ctx, settings.destination);
  const lib = ctx.library();
  const render = getRender(lib, settings.renderId);
  const plan = planOf(lib, render);
  const takes = playedTakes(lib, render.id);
  if (!takes)
    throw new StudioFailure('unavailable', 'the render is not complete: every segment needs a take before export');
  let mix = await assembleMix(lib, render, plan, takes);
  const parts: Array<{ label: string; audio: AudioData }> = [];
  // Stems get the mix's normalisation gain, so that they still add up to the exported mix.
  let gain = 1;
  if (settings.normalize !== undefined) {
    const normalized = normalizeLoudness(mix, { targetLufs: settings.normalize });
    mix = normalized.audio;
    gain = dbToGain(normalized.gainDb);
  }
  if (settings.kind === 'mix') parts.push({ label: 'mix', audio: mix });
  else
    for (const stem of await renderStems(ctx, render, plan, settings.kind, mix))
      parts.push({ label: stem.label, audio: scale(stem.audio, gain) });

  const writeFailure = (error: unknown): unknown => storageFailure(error, ctx.home, `the export folder ${dir}`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw writeFailure(error);
  }
  const base = safeName(`${plan.piece.title} - ${plan.performer.name}`);
  const files = [];
  for (const part of parts) {
    const name = `${base} (${part.label})${FORMAT_EXTENSIONS[settings.format]}`;
    const path = join(dir, name);
    const bytes = await encodeAudio(part.audio, {
      format: settings.format,
      bitDepth: settings.bitDepth,
      sampleRate: settings.sampleRate,
    });
    await writeFileAtomic(path, bytes).catch((error: unknown) => {
      throw writeFailure(error);
    });
    files.push({
      name,
      path,
      bytes: bytes.byteLength,
      duration: part.audio.channels[0]!.length / part.audio.sampleRate,
    });
  }
  const record = recordExport(lib, {
    projectId: plan.piece.projectId,
    renderId: render.id,
    kind: 'audio',
    settings,
    files: files.map((f) => ({ path: f.path, bytes: f.bytes, format: settings.format })),
  });
  return { exportId: record.id, files };
}

export const exportsRun: Handler<'exports.run'> = async (args, ctx) => {
  const { exportId, files } = await exportRender(ctx, args);
  return {
    exportId,
    files: files.map((f, i) => ({
      name: f.name,
      path: ctx.host === 'web' ? null : f.path,
      download: ctx.host === 'web' ? `${exportId}_${i}` : null,
      duration: f.duration,
      bytes: f.bytes,
    })),
  };
};

/** `<exportId>_<n>` → the n-th file of that export, for the browser host's downloads. */
export function resolveExportDownload(ctx: ServiceContext, id: string): string | undefined {
  const match = /^([0-9a-f-]{36})_(\d+)$/.exec(id);
  if (!match) return undefined;
  try {
    return listExports(ctx.library()).find((e) => e.id === match[1])?.files[Number(match[2])]?.path;
  } catch {
    return undefined;
  }
}

/** Writes a render's mix to one file (the CLI's `render --out`), normalised when asked. */
export async function writeMixFile(
  ctx: ServiceContext,
  renderId: string,
  path: string,
  options: {
    format: 'wav' | 'flac' | 'mp3';
    bitDepth?: 16 | 24 | 32;
    sampleRate?: 32000 | 44100 | 48000;
    normalize?: number;
  },
): Promise<{ path: string; bytes: number; duration: number; loudness?: number }> {
  // The file goes into a folder the user has; a mistyped path must not create folders anywhere.
  if (!existsSync(dirname(resolve(path))) || !statSync(dirname(resolve(path))).isDirectory())
    throw new StudioFailure(
      'bad-input',
      `the folder ${dirname(resolve(path))} does not exist; create it or choose another --out`,
    );
  const lib = ctx.library();
  const render = getRender(lib, renderId);
  const plan = planOf(lib, render);
  const takes = playedTakes(lib, render.id);
  if (!takes) throw new StudioFailure('unavailable', 'the render is not complete: every segment needs a take');
  let mix = await assembleMix(lib, render, plan, takes);
  let loudness: number | undefined;
  if (options.normalize !== undefined) {
    const normalized = normalizeLoudness(mix, { targetLufs: options.normalize });
    mix = normalized.audio;
    loudness = normalized.outputLufs;
  }
  const bytes = await encodeAudio(mix, {
    format: options.format,
    bitDepth: options.bitDepth,
    sampleRate: options.sampleRate,
  });
  await writeFileAtomic(path, bytes).catch((error: unknown) => {
    throw storageFailure(error, ctx.home, `the folder of ${path}`);
  });
  return {
    path,
    bytes: bytes.byteLength,
    duration: mix.channels[0]!.length / mix.sampleRate,
    ...(loudness !== undefined ? { loudness } : {}),
  };
}
