import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Settings } from '../contract/methods/settings';
import { writeFileAtomicSync } from '../shared/atomic-write';

const DEFAULTS: Settings = { device: 'auto', threads: null, theme: 'system', defaultPackId: null };

/** Settings live beside the library as JSON; a damaged file falls back to defaults, never blocks start-up. */
export class SettingsStore {
  private readonly path: string;
  private current: Settings;

  constructor(home: string) {
    this.path = join(home, 'settings.json');
    this.current = this.load();
  }

  get(): Settings {
    return { ...this.current };
  }

  set(patch: Partial<Settings>): Settings {
    this.current = Settings.parse({ ...this.current, ...patch });
    writeFileAtomicSync(this.path, `${JSON.stringify(this.current, null, 2)}\n`);
    return this.get();
  }

  private load(): Settings {
    if (!existsSync(this.path)) return { ...DEFAULTS };
    try {
      return Settings.parse({ ...DEFAULTS, ...JSON.parse(readFileSync(this.path, 'utf8')) });
    } catch {
      return { ...DEFAULTS };
    }
  }
}
