import { z } from 'zod';
import { defineMethod } from '../define';
import { Id } from './common';

export const CheckProblem = z.object({
  kind: z.enum([
    'database-corrupt',
    'dangling-reference',
    'missing-blob',
    'hash-mismatch',
    'take-without-audio',
    'job-progress',
    'orphan-temp',
    'stray-file',
  ]),
  detail: z.string(),
  repairable: z.boolean(),
  repaired: z.boolean().optional(),
});

/** A path on the machine that runs the services (Electron, CLI); the browser host refuses paths. */
const HostPath = z.string().min(1).max(4096);

export const libraryMethods = {
  'library.check': defineMethod({
    summary: 'Check the database and the blob store against each other; optionally repair what is safe.',
    input: z.object({ repair: z.boolean().optional(), verifyHashes: z.boolean().optional() }).strict(),
    output: z.object({ ok: z.boolean(), problems: z.array(CheckProblem), checkedBlobs: z.number().int() }),
  }),
  'library.gc': defineMethod({
    summary: 'Delete blobs nothing uses any more (older than the grace period) and stale temp files.',
    input: z
      .object({
        dryRun: z.boolean().optional(),
        /** Leave the trash as it is (by default gc empties it first). */
        keepTrash: z.boolean().optional(),
        graceMinutes: z.number().int().min(0).max(525_600).optional(),
      })
      .strict(),
    output: z.object({
      removedBlobs: z.number().int(),
      freedBytes: z.number(),
      removedTemps: z.number().int(),
      keptYoung: z.number().int(),
      /** Trash entries removed for good (gc empties the trash first unless asked to keep it). */
      trashEmptied: z.number().int(),
      dryRun: z.boolean(),
    }),
  }),
  'projects.list': defineMethod({
    summary: 'The projects, with how many pieces each holds.',
    input: z.object({}).strict(),
    output: z.array(z.object({ id: Id, name: z.string(), pieces: z.number().int() })),
  }),
  'library.exportBundle': defineMethod({
    summary: 'Export a project (pieces, performers, chosen takes) to one .zip bundle.',
    input: z.object({ projectId: Id, path: HostPath }).strict(),
    output: z.object({
      path: z.string(),
      bytes: z.number(),
      pieces: z.number().int(),
      performers: z.number().int(),
      renders: z.number().int(),
      takes: z.number().int(),
      blobs: z.number().int(),
    }),
  }),
  'library.importBundle': defineMethod({
    summary: 'Import a project bundle as a new project (checked completely before anything is written).',
    input: z.object({ path: HostPath }).strict(),
    output: z.object({
      projectId: Id,
      projectName: z.string(),
      pieces: z.number().int(),
      performersAdded: z.number().int(),
      performersReused: z.number().int(),
      renders: z.number().int(),
      takes: z.number().int(),
    }),
  }),
} as const;
