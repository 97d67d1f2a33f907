import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Electron names the user-data folder after productName; the CLI must find the same folder. */
export const PRODUCT_NAME = 'MIDI-VALLE Studio';

/** The folder Electron's app.getPath('userData') gives on each platform. */
export function platformUserDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
}

/** The library folder: --home, then MIDI_VALLE_HOME, then the app's own user-data folder. */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.MIDI_VALLE_HOME) return resolve(env.MIDI_VALLE_HOME);
  return join(platformUserDataDir(process.platform, env), 'library');
}
