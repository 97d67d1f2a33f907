import type { Command } from 'commander';
import { registerInfo } from './info';
import { registerAudio } from './audio';

/** Every command of `midi-valle`, one file each. */
export const commandRegistrations: Array<(program: Command) => void> = [registerInfo, registerAudio];
