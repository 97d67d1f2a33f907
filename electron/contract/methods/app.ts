import { z } from 'zod';
import { defineMethod } from '../define';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'web', 'cli']),
  home: z.string(),
  node: z.string(),
  platform: z.string(),
  engines: z.array(
    z.object({
      id: z.enum(['sampler', 'neural']),
      label: z.string(),
      available: z.boolean(),
      detail: z.string(),
    }),
  ),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appMethods = {
  'app.info': defineMethod({
    summary: 'Version, host, library folder and the render engines this install offers.',
    input: z.object({}).strict(),
    output: AppInfo,
  }),
  'app.echo': defineMethod({
    summary: 'Round-trips a short text; used to check the bridge end to end.',
    input: z.object({ text: z.string().max(1000) }).strict(),
    output: z.object({ text: z.string(), receivedAt: z.string() }),
  }),
} as const;
