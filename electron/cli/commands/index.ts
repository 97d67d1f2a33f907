import type { Command } from 'commander';
import { registerInfo } from './info';
import { registerInspect } from './inspect';
import { registerTokenize } from './tokenize';

/** Every command of `midi-valle`, one file each. */
export const commandRegistrations: Array<(program: Command) => void> = [registerInfo, registerInspect, registerTokenize];
