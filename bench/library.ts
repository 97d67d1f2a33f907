// Library speed: listing 10k takes with their metadata (what the takes panel asks for) and
// importing 100 real MIDI pieces (blob write + fsync + one transaction each).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addPiece,
  createProject,
  createRender,
  insertTake,
  listSegments,
  listTakes,
  openLibrary,
} from '../electron/library';

const sharedDir = process.env.MIDI_VALLE_SHARED ?? resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'shared');
const asapDir = join(sharedDir, 'testdata', 'asap');

/** Adds an SMF "alien" chunk (readers must skip unknown chunk types) so each copy is a distinct blob. */
function distinctMidi(bytes: Uint8Array, n: number): Uint8Array {
  const extra = Buffer.alloc(12);
  extra.write('XBnc', 0, 'ascii');
  extra.writeUInt32BE(4, 4);
  extra.writeUInt32BE(n, 8);
  return Buffer.concat([bytes, extra]);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<Array<{ name: string; value: number; unit: string; note?: string }>> {
  const home = mkdtempSync(join(tmpdir(), 'mv-bench-lib-'));
  const lib = openLibrary(home);
  try {
    const midiFiles = readdirSync(asapDir)
      .filter((f) => f.endsWith('.mid'))
      .map((f) => readFileSync(join(asapDir, f)));
    const project = createProject(lib, 'Bench');

    // importing 100 pieces
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) {
      addPiece(lib, project.id, {
        title: `Piece ${i}`,
        midi: distinctMidi(midiFiles[i % midiFiles.length]!, i),
        stats: { i },
      });
    }
    const importMs = performance.now() - t0;

    // 10k takes: 1000 segments × 10 takes (blobs shared: listing reads rows, not audio)
    const piece = lib.db.prepare('SELECT id FROM pieces LIMIT 1').pluck().get() as string;
    const render = createRender(lib, {
      pieceId: piece,
      engine: 'sampler',
      pack: { id: 'sampler', version: '1' },
      seed: 1,
      segments: Array.from({ length: 1000 }, (_, i) => ({
        index: i,
        start: i * 15,
        end: i * 15 + 16,
        tokensHash: `t${i}`,
      })),
    });
    const audioHash = lib.putBlob(new Uint8Array(4096).fill(1));
    const peaksHash = lib.putBlob(new Uint8Array(512).fill(2));
    const segments = listSegments(lib, render.id);
    lib.write(() => {
      for (const s of segments) {
        for (let k = 0; k < 10; k++) {
          insertTake(lib, {
            segmentId: s.id,
            jobId: null,
            seed: k,
            segmentSeed: k,
            params: { temperature: 0.9, topK: 50 },
            cacheKey: `${s.id}:${k}`,
            audioHash,
            audioFormat: 'flac',
            peaksHash,
            sampleRate: 44100,
            channels: 2,
            duration: 16,
            loudnessLufs: -20,
            peakDbfs: -1,
          });
        }
      }
    });
    const times: number[] = [];
    let count = 0;
    for (let r = 0; r < 7; r++) {
      const t = performance.now();
      count = listTakes(lib, render.id).length;
      times.push(performance.now() - t);
    }
    if (count !== 10_000) throw new Error(`expected 10000 takes, listed ${count}`);
    const segTimes: number[] = [];
    for (let r = 0; r < 50; r++) {
      const t = performance.now();
      listTakes(lib, render.id, r * 20);
      segTimes.push(performance.now() - t);
    }
    return [
      {
        name: 'library: list 10k takes with metadata',
        value: Number(median(times).toFixed(1)),
        unit: 'ms',
        note: 'median of 7; 1000 segments × 10 takes',
      },
      {
        name: 'library: list the takes of one segment (of 10k)',
        value: Number(median(segTimes).toFixed(2)),
        unit: 'ms',
        note: 'median of 50',
      },
      {
        name: 'library: import 100 MIDI pieces',
        value: Number(importMs.toFixed(0)),
        unit: 'ms',
        note: `${(importMs / 100).toFixed(1)} ms a piece (blob fsync + FULL-sync commit); ASAP files`,
      },
    ];
  } finally {
    lib.close();
    rmSync(home, { recursive: true, force: true });
  }
}
