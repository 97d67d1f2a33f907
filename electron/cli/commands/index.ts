import type { Command } from 'commander';
import { registerInfo } from './info';
import { registerLibrary } from './library';
import { registerPerformers } from './performers';
import { registerRenders } from './renders';
import { registerTakes } from './takes';

/** Every command of `midi-valle`, one file each. */
export const commandRegistrations: Array<(program: Command) => void> = [registerInfo, registerLibrary, registerRenders, registerTakes, registerPerformers];
