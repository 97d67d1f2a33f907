import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addPerformer, findPerformerByName, type Library } from '../library';
import { projectRoot } from '../shared/package-info';
import { importPiece } from './piece-handlers';

interface DemoManifest {
  piece: { file: string; title: string };
  performers: Array<{
    name: string;
    description: string;
    room: string;
    promptAudio: string;
    promptMidi: string;
    sampleRate: number;
    channels: number;
    seconds: number;
    source: string;
    attribution: string;
  }>;
}

/** resources/demo beside the sources, or in the packaged app's resources folder. */
export function demoDir(): string | undefined {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    join(projectRoot(), 'resources', 'demo'),
    ...(resourcesPath ? [join(resourcesPath, 'resources', 'demo')] : []),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'performers.json')));
}

const MARKER = '.demo-content-added';

/**
 * A fresh library gets the demo piece and the demo performers (synthetic prompts made with the
 * sampled grand, labelled as demos), so every step can be tried at once. Only once: a user who
 * removes them does not get them back.
 */
export function addDemoContent(lib: Library): void {
  const marker = join(lib.home, MARKER);
  const dir = demoDir();
  if (existsSync(marker) || !dir) return;
  const manifest = JSON.parse(readFileSync(join(dir, 'performers.json'), 'utf8')) as DemoManifest;
  for (const p of manifest.performers) {
    if (findPerformerByName(lib, p.name)) continue;
    addPerformer(lib, {
      name: p.name,
      promptAudio: {
        bytes: readFileSync(join(dir, p.promptAudio)),
        format: 'wav',
        sampleRate: p.sampleRate,
        channels: p.channels,
        duration: p.seconds,
      },
      promptMidi: readFileSync(join(dir, p.promptMidi)),
      tags: { room: p.room, piano: 'Sampled grand (Salamander Grand Piano V3)', source: 'demo' },
      licence: 'Demo prompt; piano samples CC BY 3.0 (Alexander Holm)',
      consent: { kind: 'demo' },
      notes: `${p.description} ${p.attribution}`,
      demo: true,
    });
  }
  // The manifest's title carries provenance; the library shows the short form.
  const title = manifest.piece.title.split(' (')[0]!.replace(/, bars [^,]*$/, '');
  importPiece(lib, manifest.piece.file, readFileSync(join(dir, manifest.piece.file)), `${title} (demo)`);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
}
