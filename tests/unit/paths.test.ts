import { describe, expect, it } from 'vitest';
import { platformUserDataDir, resolveHome } from '../../electron/shared/paths';

describe('library location shared by the app and the CLI', () => {
  it('follows Electron userData naming on each platform', () => {
    expect(platformUserDataDir('linux', {}, '/home/u')).toBe('/home/u/.config/MIDI-VALLE Studio');
    expect(platformUserDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/MIDI-VALLE Studio');
    expect(platformUserDataDir('darwin', {}, '/Users/u')).toBe(
      '/Users/u/Library/Application Support/MIDI-VALLE Studio',
    );
    expect(platformUserDataDir('win32', { APPDATA: 'C:\\AppData' }, 'C:\\u')).toContain('MIDI-VALLE Studio');
  });

  it('prefers --home, then MIDI_VALLE_HOME', () => {
    expect(resolveHome('/tmp/a', { MIDI_VALLE_HOME: '/tmp/b' })).toBe('/tmp/a');
    expect(resolveHome(undefined, { MIDI_VALLE_HOME: '/tmp/b' })).toBe('/tmp/b');
    expect(resolveHome(undefined, {})).toMatch(/MIDI-VALLE Studio[/\\]library$/);
  });
});
