// The graph templates written by native-models/make_templates.py: one folder per model size, each with
// template.json (dims, expected state_dict layout, pack.json sections, per-graph recipes) and the graph files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodecDims, ValleDims } from './dims';
import type { Recipe } from './recipes';

export interface GraphVariant {
  template: string;
  initializers: Record<string, Recipe>;
  /** This variant's I/O when it differs from the template's `io` (the int8 arDecoder reads an int8 KV cache). */
  io?: { inputs: unknown[]; outputs: unknown[] };
}

export interface PackTemplate {
  dir: string;
  format: string;
  formatVersion: number;
  valle: ValleDims;
  codec: CodecDims;
  stateDict: { valle: [string, number[]][]; codec: [string, number[]][] };
  audio: Record<string, number>;
  midi: { columns: string[]; vocabSizes: number[] };
  model: Record<string, number>;
  io: Record<string, { inputs: unknown[]; outputs: unknown[] }>;
  graphs: Record<string, { file: string; fp32: GraphVariant; int8?: GraphVariant }>;
  /**
   * fp32 packs' draft decoder (arDraftDecoder, for speculative decoding): a variant of another graph (the int8
   * arDecoder) written again under its own key and file, listed right after that graph. Absent in older templates.
   */
  draft?: { key: string; file: string; graph: string; variant: 'fp32' | 'int8' };
}

export const TEMPLATE_FORMAT = 'midi-valle-pack-template';
export const TEMPLATE_VERSION = 1;

export function loadTemplates(roots: string[]): PackTemplate[] {
  const out: PackTemplate[] = [];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).sort()) {
      const file = join(root, name, 'template.json');
      if (!existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, 'utf8')) as PackTemplate;
      if (json.format !== TEMPLATE_FORMAT || json.formatVersion !== TEMPLATE_VERSION) continue;
      out.push({ ...json, dir: join(root, name) });
    }
  }
  return out;
}

function same(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => JSON.stringify(x[k]) === JSON.stringify(y[k]));
}

export function describeValle(d: ValleDims): string {
  return `d_model ${d.d_model}, ${d.heads} heads, ${d.ar_layers}+${d.nar_layers} layers, FFN ${d.ff_dim}, ${d.quantizers} x ${d.audio_tokens} codes`;
}

export const matchesValle = (t: PackTemplate, d: ValleDims) => same(t.valle, d);
export const matchesCodec = (t: PackTemplate, d: CodecDims) => same(t.codec, d);
