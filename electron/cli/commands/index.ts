import type { Command } from 'commander';
import { registerInfo } from './info';

/** Every command of `midi-valle`, one file each. */
export const commandRegistrations: Array<(program: Command) => void> = [registerInfo];
