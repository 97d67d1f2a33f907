import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StudioFailure } from '../../contract';
import type { ExportSettings } from '../../contract/methods/exports';
import { dbToGain, encodeAudio, FORMAT_EXTENSIONS, normalizeLoudness, type AudioData } from '../../audio';
import { writeFileAtomic } from '../../shared/atomic-write';
import { getRender, listExports, recordExport } from '../../library';
import type { Handler, ServiceContext } from '../handlers';
import { assembleMix, playedTakes } from '../render/mix';
import { planOf } from '../render/plan';
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

export async function exportRender(ctx: ServiceContext, settings: ExportSettings) {
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

  const dir = settings.destination ? resolve(settings.destination) : join(ctx.home, 'exports', randomUUID());
  mkdirSync(dir, { recursive: true });
  const base = safeName(`${plan.piece.title} - ${plan.performer.name}`);
  const files = [];
  for (const part of parts) {
    const name = settings.fileName ?? `${base} (${part.label})${FORMAT_EXTENSIONS[settings.format]}`;
    const path = join(dir, name);
    const bytes = await encodeAudio(part.audio, {
      format: settings.format,
      bitDepth: settings.bitDepth,
      sampleRate: settings.sampleRate,
    });
    await writeFileAtomic(path, bytes);
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
