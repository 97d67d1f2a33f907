import { z } from 'zod';
import { defineMethod } from '../define';
import { DeviceChoice } from './common';

export const Settings = z.object({
  device: DeviceChoice,
  threads: z.number().int().min(1).max(256).nullable(),
  theme: z.enum(['system', 'light', 'dark']),
  defaultPackId: z.string().nullable(),
});
export type Settings = z.infer<typeof Settings>;

export const settingsMethods = {
  'settings.get': defineMethod({
    summary: 'The studio settings.',
    input: z.object({}).strict(),
    output: Settings,
  }),
  'settings.set': defineMethod({
    summary: 'Change some settings; returns all of them.',
    input: Settings.partial().strict(),
    output: Settings,
  }),
} as const;
