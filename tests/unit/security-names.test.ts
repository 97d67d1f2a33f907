// Issue 14, finding 9: names and titles never drive a terminal. Control characters in a typed name are
// refused; titles from files and names from other libraries are cleaned; whatever is stored already is
// printed with visible escapes; names compare after Unicode normalisation ignoring case, and a name
// cannot be another performer's id.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addPiece,
  createProject,
  exportProjectBundle,
  findPerformerByName,
  importProjectBundle,
  listPerformers,
  openLibrary,
  updatePerformer,
} from '../../electron/library';
import { terminalSafe } from '../../electron/shared/untrusted-text';
import { runCli } from '../support/cli';
import { addPromptPerformer, seedLibrary, tempHome } from './library-fixtures';

const ESC = '\x1b';

describe('performer names', () => {
  it('refuses control characters in a typed name', () => {
    const lib = openLibrary(tempHome('sec-names'));
    for (const name of [`Eve${ESC}[2J`, 'Bell\x07', 'Two\nLines', 'Back\rwards', 'Rtl\u202eevil']) {
      expect(() => addPromptPerformer(lib, name)).toThrow(/contains control characters/);
    }
    expect(listPerformers(lib)).toEqual([]);
    lib.close();
  });

  it('compares names after Unicode normalisation, ignoring case', () => {
    const lib = openLibrary(tempHome('sec-names'));
    const eva = addPromptPerformer(lib, 'Éva');
    expect(() => addPromptPerformer(lib, 'éva')).toThrow(/already exists/);
    expect(() => addPromptPerformer(lib, 'E\u0301VA')).toThrow(/already exists/);
    expect(findPerformerByName(lib, 'ÉVA')?.id).toBe(eva.id);
    expect(findPerformerByName(lib, 'e\u0301va')?.id).toBe(eva.id);
    // Stored in NFC whatever form it was typed in.
    expect(addPromptPerformer(lib, 'Zo\u0308e').name).toBe('Zöe');
    lib.close();
  });

  it('refuses a name that is another performer id, when adding and when renaming', () => {
    const lib = openLibrary(tempHome('sec-names'));
    const first = addPromptPerformer(lib, 'First');
    expect(() => addPromptPerformer(lib, first.id.toUpperCase())).toThrow(/is the id of another performer/);
    const second = addPromptPerformer(lib, 'Second', 'B');
    expect(() => updatePerformer(lib, second.id, { name: first.id })).toThrow(/is the id of another performer/);
    expect(() => updatePerformer(lib, second.id, { name: 'FIRST' })).toThrow(/already exists/);
    expect(updatePerformer(lib, second.id, { name: 'Second' }).name).toBe('Second');
    lib.close();
  });
});

describe('titles and names from files and other libraries', () => {
  it('stores piece titles without control characters', () => {
    const lib = openLibrary(tempHome('sec-titles'));
    const project = createProject(lib, 'P');
    const piece = addPiece(lib, project.id, {
      title: `Sonata${ESC}]0;pwned\x07 in C`,
      composer: `Anon${ESC}[31m`,
      midi: new Uint8Array([1]),
    });
    expect(piece.title).toBe('Sonata ]0;pwned in C');
    expect(piece.composer).toBe('Anon [31m');
    lib.close();
  });

  it('cleans names and titles that a bundle carries in', () => {
    const source = openLibrary(tempHome('sec-bundle-src'));
    const seeded = seedLibrary(source, 1, { performerName: 'Plain' });
    // As an older version or a hand-made bundle would hold them.
    source.db.prepare('UPDATE performers SET name = ?').run(`Mallory${ESC}[2J\x07`);
    source.db.prepare('UPDATE pieces SET title = ?').run(`Title\n${ESC}[1A`);
    const zip = join(tempHome('sec-bundle-zip'), 'p.mvbundle');
    exportProjectBundle(source, seeded.project.id, zip);
    const target = openLibrary(tempHome('sec-bundle-dst'));
    importProjectBundle(target, zip);
    const names = listPerformers(target).map((p) => p.name);
    expect(names).toEqual(['Mallory [2J']);
    const title = (target.db.prepare('SELECT title FROM pieces').get() as { title: string }).title;
    expect(title).toBe('Title [1A');
    source.close();
    target.close();
  });
});

describe('CLI output', () => {
  it('prints stored control characters as visible escapes, in lists and in errors', () => {
    const home = tempHome('sec-cli-names');
    const lib = openLibrary(home);
    addPromptPerformer(lib, 'Plain');
    lib.db.prepare('UPDATE performers SET name = ?').run(`Mallory${ESC}]0;owned\x07${ESC}[2J`);
    lib.close();
    const list = runCli(['--home', home, 'performers', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout.includes(ESC) || list.stdout.includes('\x07')).toBe(false);
    expect(list.stdout).toContain('Mallory\\x1b]0;owned\\x07\\x1b[2J');
    const error = runCli(['--home', home, 'performers', 'remove', `no${ESC}[2Jbody`]);
    expect(error.code).not.toBe(0);
    expect(error.stderr.includes(ESC)).toBe(false);
    expect(error.stderr.trim().split('\n')).toHaveLength(1);
    expect(terminalSafe('a\tb\nc', '\n')).toBe('a\\x09b\nc');
  }, 60_000);
});
