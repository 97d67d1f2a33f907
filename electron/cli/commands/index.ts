import type { Command } from 'commander';
import { registerAlign } from './align';
import { registerAudio } from './audio';
import { registerInfo } from './info';
import { registerExport } from './export';
import { registerInspect } from './inspect';
import { registerLibrary } from './library';
import { registerManage } from './manage';
import { registerPerformers } from './performers';
import { registerPerformersAdd } from './performers-add';
import { registerPacks } from './packs';
import { registerPieces } from './pieces';
import { registerRender } from './render';
import { registerRenders } from './renders';
import { registerRendersResume } from './renders-resume';
import { registerTakes } from './takes';
import { registerTokenize } from './tokenize';
import { registerWorks } from './works';

/** Every command of `midi-valle`, one file each. */
export const commandRegistrations: Array<(program: Command) => void> = [
  registerInfo,
  registerInspect,
  registerTokenize,
  registerLibrary,
  registerPieces,
  registerPerformers,
  registerPerformersAdd,
  registerRender,
  registerExport,
  registerPacks,
  registerRenders,
  registerRendersResume,
  registerTakes,
  registerManage,
  registerAudio,
  registerAlign,
  registerWorks,
];
