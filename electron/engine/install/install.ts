// `packs install`: the official checkpoints -> a model pack, in TypeScript, equal to what native-models/convert.py
// writes (an fp32 pack with its int8 draft decoder unless `draft: false`). prepareInstall() reads and checks both
// files (nothing is written, so a wrong file costs nothing); writePack() fills the graph templates tensor by tensor
// (memory stays at the largest tensor, not the model) into a temporary sibling folder that is renamed into place
// only when complete.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StudioFailure } from '../../shared/failure';
import { openCheckpoint, type Checkpoint } from './checkpoint';
import { checkLayout, codecDims, valleDims } from './dims';
import { CheckpointError } from './errors';
import { planFill } from './onnx-template';
import { pythonJson } from './pack-json';
import { runRecipe, type Sources } from './recipes';
import {
  describeValle,
  loadTemplates,
  matchesCodec,
  matchesValle,
  type GraphVariant,
  type PackTemplate,
} from './templates';

export const OFFICIAL_LICENCE = 'CC BY-NC-SA 4.0';
export const OFFICIAL_ATTRIBUTION =
  'MIDI-VALLE and Piano-Encodec weights by Jingjing Tang et al. (ISMIR 2025, arXiv 2507.08530), ' +
  'Zenodo record 15976272; non-commercial use only.';
const QUANTIZABLE = new Set(['arDecoder', 'narStage']);

export type InstallPrecision = 'fp32' | 'int8';

export interface InstallOptions {
  valle: string;
  codec: string;
  precision?: InstallPrecision;
  /** Defaults as convert.py's. */
  id?: string;
  name?: string;
  version?: string;
  licence?: string;
  attribution?: string;
  heads?: number;
  /**
   * fp32 installs: also write the int8 draft decoder (arDraftDecoder, ar_draft_decoder.onnx) that the engine uses
   * for speculative decoding, as convert.py does unless --no-draft. Default true; int8 installs never have one.
   */
  draft?: boolean;
  /** Folders holding template folders (native-models/templates). */
  templateRoots: string[];
}

export interface PreparedInstall {
  options: Required<Omit<InstallOptions, 'heads'>>;
  template: PackTemplate;
  sources: Sources;
  close(): Promise<void>;
}

export interface InstallProgress {
  done: number;
  total: number;
  stage: string;
}

/** Read both checkpoints and pick the template; every problem is a one-line bad-input failure. */
export async function prepareInstall(options: InstallOptions): Promise<PreparedInstall> {
  const templates = loadTemplates(options.templateRoots);
  if (templates.length === 0)
    throw new StudioFailure(
      'unavailable',
      'no graph templates found (native-models/templates); the install is incomplete',
    );
  const opened: Checkpoint[] = [];
  try {
    const valle = await openCheckpoint(options.valle, basename(options.valle));
    opened.push(valle);
    const vd = valleDims(valle, options.heads);
    const forValle = templates.filter((t) => matchesValle(t, vd));
    if (forValle.length === 0) {
      throw new CheckpointError(
        `${valle.what}: a MIDI-VALLE model of another size (${describeValle(vd)}); the installer knows ${templates
          .map((t) => describeValle(t.valle))
          .join(' / ')}; convert it with native-models/convert.py`,
      );
    }
    checkLayout(valle.state, forValle[0]!.stateDict.valle, valle.what);
    const codec = await openCheckpoint(options.codec, basename(options.codec));
    opened.push(codec);
    const cd = codecDims(codec);
    if (vd.quantizers !== cd.n_q || vd.audio_tokens !== cd.bins) {
      throw new CheckpointError(
        `model expects ${vd.quantizers} x ${vd.audio_tokens} codes but the codec has ${cd.n_q} x ${cd.bins}`,
      );
    }
    const template = forValle.find((t) => matchesCodec(t, cd));
    if (!template) {
      throw new CheckpointError(
        `${codec.what}: a Piano-Encodec of another configuration (${cd.n_filters} filters, latent ${cd.dimension}, ratios ${cd.ratios.join('/')}, pad ${cd.pad_mode}); convert it with native-models/convert.py`,
      );
    }
    checkLayout(codec.state, template.stateDict.codec, codec.what);
    return {
      options: {
        valle: options.valle,
        codec: options.codec,
        precision: options.precision ?? 'fp32',
        draft: options.draft ?? true,
        id: options.id ?? 'midi-valle-official',
        name: options.name ?? 'MIDI-VALLE (official weights)',
        version: options.version ?? '1.0.0',
        licence: options.licence ?? OFFICIAL_LICENCE,
        attribution: options.attribution ?? OFFICIAL_ATTRIBUTION,
        templateRoots: options.templateRoots,
      },
      template,
      sources: { valle, codec },
      close: async () => {
        await Promise.all(opened.splice(0).map((c) => c.close()));
      },
    };
  } catch (error) {
    await Promise.all(opened.map((c) => c.close()));
    throw error;
  }
}

async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    if (signal?.aborted) throw cancelled();
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

const cancelled = () => new StudioFailure('cancelled', 'the install was cancelled; nothing was written');

function tensorBytes(data: Float32Array | Int8Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength); // ONNX raw_data is little-endian, as we are
}

/** Write one graph; returns its sha256 and size. */
async function fillGraph(
  prepared: PreparedInstall,
  variant: { template: string; initializers: Record<string, unknown> },
  out: string,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<{ sha256: string; bytes: number }> {
  const { template, sources } = prepared;
  const bytes = await readFile(join(template.dir, variant.template));
  const recipes = variant.initializers as Record<string, Parameters<typeof runRecipe>[0]>;
  const { parts, tensors } = planFill(bytes, new Set(Object.keys(recipes)));
  const hash = createHash('sha256');
  const file = await open(out, 'w');
  let size = 0;
  try {
    for (const part of parts) {
      if (signal?.aborted) throw cancelled();
      let chunk: Uint8Array;
      if (part instanceof Uint8Array) chunk = part;
      else {
        const tensor = await runRecipe(recipes[part.initializer]!, sources);
        const declared = tensors.get(part.initializer)!.dims;
        if (tensor.shape.join() !== declared.join() || tensor.data.byteLength !== part.bytes) {
          throw new Error(
            `initializer ${part.initializer}: computed [${tensor.shape}] but the graph declares [${declared}]`,
          );
        }
        chunk = tensorBytes(tensor.data);
        onBytes(chunk.length);
      }
      hash.update(chunk);
      await file.write(chunk);
      size += chunk.length;
    }
  } finally {
    await file.close();
  }
  return { sha256: hash.digest('hex'), bytes: size };
}

interface PlannedGraph {
  key: string;
  file: string;
  variant: GraphVariant;
  precision: 'fp32' | 'int8';
  io: { inputs: unknown[]; outputs: unknown[] };
}

/**
 * The graphs of the pack in pack.json order (convert.py's): the template's, each in the precision's variant, and
 * for fp32 with `draft` the template's draft graph (the int8 arDecoder again, as ar_draft_decoder.onnx) right
 * after the graph it is a variant of.
 */
function plannedGraphs(template: PackTemplate, options: PreparedInstall['options']): PlannedGraph[] {
  const out: PlannedGraph[] = [];
  const pick = (key: string, precision: 'fp32' | 'int8') => {
    const graph = template.graphs[key]!;
    const variant = precision === 'int8' ? graph.int8 : graph.fp32;
    if (!variant) throw new Error(`template ${template.dir}: graph ${key} has no ${precision} variant`);
    return { variant, precision, io: variant.io ?? template.io[key]! };
  };
  const draft = options.precision === 'fp32' && options.draft ? template.draft : undefined;
  for (const [key, entry] of Object.entries(template.graphs)) {
    const int8 = options.precision === 'int8' && QUANTIZABLE.has(key) && entry.int8 !== undefined;
    out.push({ key, file: entry.file, ...pick(key, int8 ? 'int8' : 'fp32') });
    if (draft && draft.graph === key) out.push({ key: draft.key, file: draft.file, ...pick(key, draft.variant) });
  }
  return out;
}

/**
 * Write the pack to `outDir` (which must not exist). A failure or cancel leaves nothing at `outDir` and removes
 * the temporary folder.
 */
export async function writePack(
  prepared: PreparedInstall,
  outDir: string,
  onProgress: (p: InstallProgress) => void = () => undefined,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const { options, template } = prepared;
  if (await stat(outDir).catch(() => undefined)) {
    throw new StudioFailure('invalid-argument', `cannot write the pack to ${outDir}: it already exists`);
  }
  const partial = join(dirname(outDir), `.${basename(outDir)}.partial-${process.pid}-${Date.now()}`);
  await mkdir(partial, { recursive: true });
  try {
    const planned = plannedGraphs(template, options);
    // Progress in tensors written, plus one step for hashing each input file.
    const total = planned.reduce((n, g) => n + Object.keys(g.variant.initializers).length, 0) + 2;
    let done = 0;
    const tick = (stage: string) => onProgress({ done: Math.min(done, total), total, stage });
    const hashed = async (path: string) => {
      tick(`checking ${basename(path)}`);
      const entry = { file: basename(path), sha256: await sha256File(path, signal) };
      done += 1;
      return entry;
    };
    const source = { valle: await hashed(options.valle), codec: await hashed(options.codec) };
    const graphs: Record<string, unknown> = {};
    for (const { key, file, variant, precision, io } of planned) {
      tick(`writing ${file}`);
      const written = await fillGraph(
        prepared,
        variant,
        join(partial, file),
        () => {
          done += 1;
          tick(`writing ${file}`);
        },
        signal,
      );
      graphs[key] = { file, sha256: written.sha256, bytes: written.bytes, precision, ...io };
    }
    const manifest = {
      format: 'midi-valle-pack',
      formatVersion: 2,
      id: options.id,
      version: options.version,
      displayName: options.name,
      licence: options.licence,
      attribution: options.attribution,
      source,
      audio: template.audio,
      midi: template.midi,
      model: template.model,
      graphs,
    };
    await writeFile(join(partial, 'pack.json'), pythonJson(manifest));
    if (signal?.aborted) throw cancelled();
    await rename(partial, outDir);
    onProgress({ done: total, total, stage: 'done' });
    return manifest;
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}
