import { z } from 'zod';
import { defineMethod } from '../define';

export const PackSummary = z.object({
  id: z.string(),
  version: z.string(),
  displayName: z.string(),
  licence: z.string(),
  attribution: z.string(),
  precision: z.string(),
  dir: z.string(),
  sizeBytes: z.number(),
  builtIn: z.boolean(),
  /** Random test weights: the pack renders noise, for testing the pipeline only. */
  randomWeights: z.boolean(),
});
export type PackSummary = z.infer<typeof PackSummary>;

export const packMethods = {
  'packs.list': defineMethod({
    summary: 'Installed model packs (the built-in test pack included).',
    input: z.object({}).strict(),
    output: z.array(PackSummary),
  }),
  'packs.import': defineMethod({
    summary: 'Install a model pack from a folder or .zip on the host machine.',
    input: z.object({ path: z.string().min(1).max(4096) }).strict(),
    output: PackSummary,
  }),
  'packs.verify': defineMethod({
    summary: 'Check a pack: manifest, graph files and checksums.',
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    output: z.object({ ok: z.boolean(), problems: z.array(z.string()) }),
  }),
  'packs.remove': defineMethod({
    summary: 'Uninstall a model pack (built-in packs cannot be removed).',
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    output: z.object({ removed: z.boolean() }),
  }),
} as const;
