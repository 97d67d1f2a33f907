import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectDir } from '../support/shared-data';

const require = createRequire(import.meta.url);
const config = require('../../build/electron-builder.config.cjs') as {
  files: string[];
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
  electronFuses: Record<string, boolean>;
};
// electron-builder matches these globs with minimatch, which it brings along.
const { minimatch } = require('minimatch') as { minimatch: (p: string, g: string, o?: object) => boolean };

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const unpacked = (file: string) => config.asarUnpack.some((glob) => minimatch(file, glob, { dot: true }));

describe('electron-builder configuration', () => {
  it('targets AppImage + deb, NSIS and dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
  });

  it('unpacks every native binary of onnxruntime-node and better-sqlite3 from the asar', () => {
    const natives = ['onnxruntime-node', 'better-sqlite3']
      .flatMap((pkg) => walk(join(projectDir, 'node_modules', pkg)))
      .map((file) => relative(projectDir, file).split('\\').join('/'))
      .filter((file) => /\.(node|so(\.\d+)*|dll|dylib)$/.test(file));
    expect(natives.some((f) => f.includes('onnxruntime_binding.node'))).toBe(true);
    expect(natives.some((f) => /libonnxruntime\.so/.test(f))).toBe(true);
    expect(natives.some((f) => f.startsWith('node_modules/better-sqlite3/') && f.endsWith('.node'))).toBe(true);
    expect(natives.filter((f) => !unpacked(f))).toEqual([]);
  });

  it('ships the built app and keeps sources and tests out', () => {
    expect(config.files).toContain('out/**/*');
    for (const excluded of ['!tests/**', '!native-models/**', '!electron/**']) expect(config.files).toContain(excluded);
  });

  it('ships model packs and resources as extra resources', () => {
    expect(config.extraResources.map((r) => r.to)).toEqual(expect.arrayContaining(['resources', 'packs/tiny']));
  });

  it('sets the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });
});
