import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { StudioFailure } from '../../contract';
import type { ExportSettings } from '../../contract/methods/exports';
import {
  countAtOrBeyond,
  decodeAudio,
  encodeAudio,
  EXPORT_SAMPLE_RATES,
  FORMAT_EXTENSIONS,
  type ExportSampleRate,
  fullScaleOf,
  gainToDb,
  integratedLoudness,
  samplePeak,
  truePeakDb,
} from '../../audio';
import { getRender, listExports, recordExport, storageFailure } from '../../library';
import type { Handler, ServiceContext } from '../handlers';
import { assembleMix, playedTakes } from '../render/mix';
import { planOf } from '../render/plan';
import { attenuate, deliveredAudio, prepareDelivery, type Delivery, type DeliveryOptions } from './delivery';
import { startExport, type ExportControl } from './export-jobs';
import { writeFilesAtomic } from '../../shared/atomic-write';
import { isContained } from '../../shared/contained-path';

const safeName = (text: string): string =>
  text
    .replace(/[^\p{L}\p{N} ._()-]+/gu, '_')
    .trim()
    .slice(0, 120) || 'render';

const finite = (value: number): number | null => (Number.isFinite(value) ? Math.round(value * 100) / 100 : null);

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

/** One file as written, measured again from its own bytes. */
export interface WrittenFile {
  name: string;
  path: string;
  role: 'mix' | 'stem';
  bytes: number;
  duration: number;
  loudness: number | null;
  truePeak: number | null;
  samplePeak: number | null;
}

export interface ExportOutcome {
  files: WrittenFile[];
  attenuationDb: number;
  limited: boolean;
  notes: string[];
}

/** What to export; without a sample rate, the mix's own (when offered) or 48 kHz. */
type ExportRequest = Omit<DeliveryOptions, 'sampleRate'> & {
  sampleRate?: DeliveryOptions['sampleRate'];
  mp3Kbps?: number;
};

/** Settings a caller may send but no export can honour, refused before any work. */
function checkSettings(request: ExportRequest): void {
  if (request.onClip === 'keep' && !(request.format === 'wav' && request.bitDepth === 32))
    throw new StudioFailure(
      'invalid-argument',
      'onClip "keep" keeps overs only in 32-bit float WAV; choose attenuate or error for other formats',
    );
  if (request.format === 'flac' && request.bitDepth === 32)
    throw new StudioFailure('invalid-argument', 'FLAC export is 16 or 24 bit; 32-bit float is WAV only');
}

/**
 * Encodes every file, then decodes each again to measure it and to prove no sample reached full
 * scale. A lossy encoder can overshoot what it was given: then every file is lowered once more
 * (`attenuate`) or the export is refused (`error`).
 */
async function encodeChecked(
  delivery: Delivery,
  request: ExportRequest,
  control: ExportControl,
  progress: (fraction: number, stage: string) => void,
): Promise<{
  delivery: Delivery;
  encoded: Array<{ bytes: Uint8Array; measured: Omit<WrittenFile, 'name' | 'path' | 'role' | 'bytes'> }>;
}> {
  const fullScale = fullScaleOf(request.format, request.bitDepth);
  for (let attempt = 0; ; attempt++) {
    const encoded = [];
    let over = false;
    let worstOverDb = 0;
    const count = delivery.sources.length;
    for (let index = 0; index < count; index++) {
      progress(index / count, `encoding ${index + 1} of ${count}`);
      await control.pause();
      const audio = deliveredAudio(delivery, index);
      const bytes = await encodeAudio(audio, {
        format: request.format,
        bitDepth: request.bitDepth,
        sampleRate: request.sampleRate,
        ...(request.mp3Kbps ? { mp3Kbps: request.mp3Kbps } : {}),
      });
      control.check();
      const decoded = await decodeAudio(bytes, `export${FORMAT_EXTENSIONS[request.format]}`);
      const peak = samplePeak(decoded);
      if (request.onClip !== 'keep' && countAtOrBeyond(decoded.channels, fullScale) > 0) {
        over = true;
        worstOverDb = Math.max(worstOverDb, gainToDb(peak / fullScale));
      }
      encoded.push({
        bytes,
        measured: {
          duration: audio.channels[0]!.length / audio.sampleRate,
          loudness: finite(integratedLoudness(decoded)),
          truePeak: finite(truePeakDb(decoded)),
          samplePeak: finite(gainToDb(peak)),
        },
      });
    }
    if (!over) return { delivery, encoded };
    const what = `the ${request.format.toUpperCase()} encoder took a file to full scale`;
    if (request.onClip === 'error' || attempt >= 2)
      throw new StudioFailure('bad-input', `${what}; lower the level (normalise, or a lower true-peak ceiling)`);
    const cut = worstOverDb + 0.5;
    delivery = attenuate(delivery, -cut, `${what}: every file was lowered by ${cut.toFixed(2)} dB more`);
  }
}

/** The export pipeline behind `exports.run` and `render --out`: deliver, encode, verify, write. */
async function runExport(
  ctx: ServiceContext,
  renderId: string,
  request: ExportRequest,
  target: { dir: string; base: string } | { file: string },
  control: ExportControl,
): Promise<ExportOutcome & { projectId: string | null }> {
  checkSettings(request);
  const lib = ctx.library();
  const render = getRender(lib, renderId);
  const plan = planOf(lib, render);
  const takes = playedTakes(lib, render.id);
  if (!takes)
    throw new StudioFailure('unavailable', 'the render is not complete: every segment needs a take before export');
  const prepShare = request.kind === 'mix' ? 0.5 : 0.8;
  control.progress(0, 'assembling the mix');
  const mix = await assembleMix(lib, render, plan, takes);
  await control.pause();
  const sampleRate =
    request.sampleRate ??
    ((EXPORT_SAMPLE_RATES as readonly number[]).includes(mix.sampleRate)
      ? (mix.sampleRate as ExportSampleRate)
      : 48000);
  request = { ...request, sampleRate };
  const prepared = await prepareDelivery(ctx, render, plan, mix, { ...request, sampleRate }, control, (f, stage) =>
    control.progress(0.02 + f * (prepShare - 0.02), stage),
  );
  const { delivery, encoded } = await encodeChecked(prepared, request, control, (f, stage) =>
    control.progress(prepShare + f * (0.98 - prepShare), stage),
  );
  control.progress(0.98, 'writing');
  const paths = delivery.sources.map((file) =>
    'file' in target
      ? target.file
      : join(target.dir, `${target.base} (${file.label})${FORMAT_EXTENSIONS[request.format]}`),
  );
  mkdirSync(dirname(paths[0]!), { recursive: true });
  await writeFilesAtomic(
    encoded.map((e, i) => ({ path: paths[i]!, bytes: e.bytes })),
    () => control.check(),
  ).catch((error: unknown) => {
    throw error instanceof StudioFailure ? error : storageFailure(error, ctx.home, `the folder ${dirname(paths[0]!)}`);
  });
  control.progress(1, 'done');
  return {
    projectId: plan.piece.projectId,
    attenuationDb: Math.round(delivery.attenuationDb * 100) / 100,
    limited: delivery.limited,
    notes: delivery.notes,
    files: delivery.sources.map((file, i) => ({
      name: basename(paths[i]!),
      path: paths[i]!,
      role: file.role,
      bytes: encoded[i]!.bytes.byteLength,
      ...encoded[i]!.measured,
    })),
  };
}

const requestOf = (settings: ExportSettings): ExportRequest => ({
  kind: settings.kind,
  format: settings.format,
  bitDepth: settings.bitDepth,
  sampleRate: settings.sampleRate,
  normalize: settings.normalize,
  truePeakCeiling: settings.truePeakCeiling ?? -1,
  onClip: settings.onClip ?? 'attenuate',
  mp3Kbps: settings.mp3Kbps,
});

export async function exportRender(
  ctx: ServiceContext,
  settings: ExportSettings,
): Promise<ExportOutcome & { exportId: string }> {
  const control = startExport(ctx, settings.jobId);
  try {
    const lib = ctx.library();
    const render = getRender(lib, settings.renderId);
    const plan = planOf(lib, render);
    const dir = exportFolder(ctx, settings.destination);
    const base = safeName(`${plan.piece.title} - ${plan.performer.name}`);
    const target = settings.fileName ? { file: join(dir, settings.fileName) } : { dir, base };
    const outcome = await runExport(ctx, settings.renderId, requestOf(settings), target, control);
    const { jobId: _jobId, ...kept } = settings;
    const record = recordExport(lib, {
      projectId: outcome.projectId,
      renderId: render.id,
      kind: 'audio',
      settings: kept,
      files: outcome.files.map((f) => ({ path: f.path, bytes: f.bytes, format: settings.format })),
    });
    return {
      exportId: record.id,
      files: outcome.files,
      attenuationDb: outcome.attenuationDb,
      limited: outcome.limited,
      notes: outcome.notes,
    };
  } finally {
    control.end();
  }
}

export const exportsRun: Handler<'exports.run'> = async (args, ctx) => {
  const { exportId, files, ...report } = await exportRender(ctx, args);
  return {
    exportId,
    ...report,
    files: files.map((f, i) => ({
      ...f,
      path: ctx.host === 'web' ? null : f.path,
      download: ctx.host === 'web' ? `${exportId}_${i}` : null,
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
