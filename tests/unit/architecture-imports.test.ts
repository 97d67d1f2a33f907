// The import rules of docs/architecture.md, checked on the sources: domains stand alone (no services,
// no contract, no Electron, no other domain), only electron/main and electron/preload import Electron,
// the renderer reaches the host only through the contract's types, and no import cycle exists.
import { describe, expect, it } from 'vitest';
import { importCycles, readImportGraph } from '../support/import-graph';
import { projectDir } from '../support/shared-data';

const graph = readImportGraph(projectDir, ['electron', 'renderer/src']);
const folderOf = (file: string): string => file.split('/').slice(0, 2).join('/');
const DOMAINS = ['electron/midi', 'electron/audio', 'electron/library', 'electron/engine'];

describe('import rules', () => {
  it('reads the whole tree', () => {
    expect(graph.files.size).toBeGreaterThan(150);
    expect(graph.files.get('electron/services/studio.ts')?.imports).toContain('electron/services/render/jobs.ts');
  });

  it('has no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('keeps each domain to itself and electron/shared', () => {
    const broken: string[] = [];
    for (const [file, { imports }] of graph.files) {
      const folder = folderOf(file);
      if (!DOMAINS.includes(folder) && folder !== 'electron/shared') continue;
      for (const target of imports) {
        const to = folderOf(target);
        const allowed = folder === 'electron/shared' ? to === folder : to === folder || to === 'electron/shared';
        // the pack manifest schema is the converter's JSON Schema, shared data rather than code
        if (!allowed && !target.endsWith('.schema.json')) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('imports Electron only in electron/main and electron/preload', () => {
    const users = [...graph.files]
      .filter(([, { packages }]) => packages.some((p) => p === 'electron' || p.startsWith('electron/')))
      .map(([file]) => folderOf(file));
    expect(new Set(users)).toEqual(new Set(['electron/main', 'electron/preload']));
  });

  it('lets the renderer import only the contract and the shared helpers from electron/', () => {
    const reaching = [...graph.files]
      .filter(([file]) => file.startsWith('renderer/'))
      .flatMap(([file, { imports }]) =>
        imports
          .filter((t) => t.startsWith('electron/') && !/^electron\/(contract|shared)\//.test(t))
          .map((t) => `${file} → ${t}`),
      );
    expect(reaching).toEqual([]);
  });

  it('keeps the library below the services: it never calls back into them', () => {
    const upward = [...graph.files]
      .filter(([file]) => file.startsWith('electron/library/'))
      .flatMap(([, { imports }]) => imports.filter((t) => t.startsWith('electron/services/')));
    expect(upward).toEqual([]);
  });
});
