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
  'packs.install': defineMethod({
    summary:
      'Make a model pack from the official checkpoints (best-valid-loss.pt + compression_32khz_new.bin) and install it; progress as job.progress events for jobId, cancel with packs.cancelInstall.',
    input: z
      .object({
        valle: z.string().min(1).max(4096),
        codec: z.string().min(1).max(4096),
        precision: z.enum(['fp32', 'int8']).default('fp32'),
        name: z.string().min(1).max(200).optional(),
        id: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/)
          .optional(),
        /** Attention heads when the checkpoint does not say (default d_model/64, as convert.py). */
        heads: z.number().int().min(1).max(256).optional(),
        /** fp32: also write the int8 draft decoder that speeds up batch-1 renders (speculative decoding; +0.15 GB). */
        draft: z.boolean().default(true),
        /** Chosen by the caller so it can follow progress and cancel; a fresh id when absent. */
        jobId: z.string().min(1).max(100).optional(),
      })
      .strict(),
    output: PackSummary,
  }),
  'packs.cancelInstall': defineMethod({
    summary: 'Cancel a running packs.install (nothing of the pack is left behind).',
    input: z.object({ jobId: z.string().min(1).max(100) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'packs.verify': defineMethod({
    summary: 'Check a pack: manifest, graph files and checksums.',
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    output: z.object({ ok: z.boolean(), problems: z.array(z.string()) }),
  }),
  'packs.prepare': defineMethod({
    summary:
      "Start the engine and load a pack on the settings' device, and with a performer encode its prompt for that pack (once; the library keeps the codes), so a render with them starts at once (the studio calls it when a neural pack and a performer are chosen); resolves when both are ready.",
    input: z.object({ id: z.string().min(1).max(200), performerId: z.string().min(1).max(200).optional() }).strict(),
    output: z.object({
      id: z.string(),
      /** The provider the AR decoder runs on (cpu, cuda, …). */
      provider: z.string(),
      /** Time this call waited, seconds: about 0 when the pack was already loaded (and the prompt encoded). */
      seconds: z.number(),
      /** True when a performer was given: its prompt codes for this pack are in the library. */
      promptReady: z.boolean(),
    }),
  }),
  'packs.remove': defineMethod({
    summary: 'Uninstall a model pack (built-in packs cannot be removed).',
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    output: z.object({ removed: z.boolean() }),
  }),
} as const;
