import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudio } from '../../electron/services/studio';

const studio = createStudio({ home: mkdtempSync(join(tmpdir(), 'mv-dispatch-')), host: 'cli' });

describe('the dispatcher every transport goes through', () => {
  it('answers a valid call with a value', async () => {
    const result = await studio.dispatch('app.echo', { text: 'hello' });
    expect(result.ok).toBe(true);
    if (result.ok) expect((result.value as { text: string }).text).toBe('hello');
  });

  it('rejects malformed arguments at runtime with invalid-argument', async () => {
    const result = await studio.dispatch('app.echo', { text: 42 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    // The field in words, what it must be and what came instead.
    if (!result.ok) expect(result.error.message).toBe('app.echo: Text must be text (got 42)');
  });

  it('rejects unexpected extra fields', async () => {
    const result = await studio.dispatch('app.info', { evil: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('answers the OS dialog methods with unsupported outside Electron', async () => {
    const result = await studio.dispatch('dialogs.choosePath', { kind: 'pack-folder' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'unsupported',
        message: 'dialogs.choosePath: the CLI has no OS dialogs; name the files and folders on the command line',
      },
    });
  });

  it('rejects a method that is not in the contract, including prototype names', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 42, null]) {
      const result = await studio.dispatch(name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
  });
});
