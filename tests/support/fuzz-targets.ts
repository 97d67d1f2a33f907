// The fuzz targets of the hardening suite and scripts/fuzz-long.ts: each builds its seeds from real
// data, then offers `make` (a mutated input from the PRNG) and `call` (the domain code under test).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { decodeAudio, encodeAudio, type AudioData } from '../../electron/audio';
import { parsePackManifest } from '../../electron/engine/pack';
import {
  addPerformer,
  addPiece,
  createProject,
  createRender,
  createRenderJob,
  exportProjectBundle,
  importProjectBundle,
  openLibrary,
  readBundle,
  type Library,
} from '../../electron/library';
import { buildModelTokens, importMidi, parseMidi, tokenizeNotes } from '../../electron/midi';
import { fixtureSegments, sineRenderer, sineWav, tempHome, runRenderJob } from '../unit/library-fixtures';
import { mutateBytes, mutateJson, type Rng } from './fuzz';
import { projectDir, sharedDir, testdata } from './shared-data';

export interface FuzzTarget<T> {
  name: string;
  make: (rng: Rng, iteration: number) => T;
  call: (input: T) => unknown;
  /** Checks after the run (e.g. the library a target imported into is still consistent). */
  close?: () => void;
}

const pickSeed = <T>(rng: Rng, seeds: readonly T[]): T => seeds[Math.floor(rng() * seeds.length)]!;

/** Every real MIDI file in ../shared/testdata (the fuzzer's seeds, mutated one copy at a time). */
export function midiSeeds(): Uint8Array[] {
  testdata('midi-valle/prompt_A.midi'); // fail loudly when the data is missing
  const dirs = ['midi-valle', 'asap'].map((d) => join(sharedDir, 'testdata', d));
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => /\.midi?$/i.test(f))
      .map((f) => new Uint8Array(readFileSync(join(dir, f)))),
  );
}

/**
 * importMidi, then (when it parses) the tokenizer and the model's prompt + target tokens on the
 * first 20 s of notes: a parser that accepts a file must hand the tokenizer something it can take.
 */
export function midiTarget(): FuzzTarget<Uint8Array> {
  const all = midiSeeds();
  // Large files cost up to 40 ms an input: the two small prompts are half the inputs, files under
  // 20 kB 45 %, and the large performances 5 %, so 10k inputs fit a CI test.
  const small = all.filter((s) => s.length < 1024);
  const medium = all.filter((s) => s.length >= 1024 && s.length < 20_000);
  const large = all.filter((s) => s.length >= 20_000);
  const prompt = parseMidi(readFileSync(testdata('midi-valle/prompt_A.midi')));
  return {
    name: 'midi (importMidi + tokenizeNotes + buildModelTokens)',
    make: (rng) => {
      const roll = rng();
      return mutateBytes(pickSeed(rng, roll < 0.5 ? small : roll < 0.95 ? medium : large), rng);
    },
    call: (bytes) => {
      const { performance } = importMidi(bytes, 'fuzz.mid');
      tokenizeNotes(performance.notes);
      buildModelTokens(
        prompt,
        performance.notes.filter((n) => n.onset < 20).map((n) => ({ ...n, offset: Math.min(n.offset, 25) })),
      );
    },
  };
}

function sine(seconds: number, rate: number, channels: number): AudioData {
  const frames = Math.round(seconds * rate);
  return {
    sampleRate: rate,
    channels: Array.from({ length: channels }, (_, c) =>
      Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin((2 * Math.PI * (330 + 110 * c) * i) / rate)),
    ),
  };
}

/** WAV (16/24-bit PCM, 32-bit float) and FLAC (16/24-bit) seeds from encodeAudio, plus the real prompt_A.wav. */
export async function audioSeeds(): Promise<Uint8Array[]> {
  const mono = sine(0.12, 32000, 1);
  const stereo = sine(0.08, 44100, 2);
  return [
    await encodeAudio(mono, { format: 'wav', bitDepth: 16 }),
    await encodeAudio(stereo, { format: 'wav', bitDepth: 24 }),
    await encodeAudio(mono, { format: 'wav', bitDepth: 32 }),
    await encodeAudio(mono, { format: 'flac', bitDepth: 16 }),
    await encodeAudio(stereo, { format: 'flac', bitDepth: 24 }),
    new Uint8Array(readFileSync(testdata('midi-valle/prompt_A.wav'))),
  ];
}

export async function audioTarget(options: { flacOnly?: boolean } = {}): Promise<FuzzTarget<Uint8Array>> {
  const seeds = await audioSeeds();
  if (options.flacOnly) {
    return {
      name: 'audio (decodeAudio: FLAC only)',
      make: (rng) => mutateBytes(pickSeed(rng, seeds.slice(3, 5)), rng),
      call: (bytes) => decodeAudio(bytes, 'fuzz.flac'),
    };
  }
  return {
    name: 'audio (decodeAudio: WAV, FLAC)',
    // FLAC decoding sets up a wasm decoder per file (~15 ms), so FLAC seeds are 6 % of the inputs and
    // the 384 kB real recording (~30 ms) 2 %; the rest are the small WAVs (~1.5 ms). The long run
    // (scripts/fuzz-long.ts) gives FLAC its own larger count.
    make: (rng) => {
      const roll = rng();
      const seed =
        roll < 0.06 ? pickSeed(rng, seeds.slice(3, 5)) : roll < 0.08 ? seeds[5]! : pickSeed(rng, seeds.slice(0, 3));
      return mutateBytes(seed, rng);
    },
    call: (bytes) => decodeAudio(bytes, 'fuzz.wav'),
  };
}

/** parsePackManifest on JSON-field mutations (mostly) and raw text mutations of the tiny pack's pack.json. */
export function packTarget(): FuzzTarget<string> {
  const text = readFileSync(join(projectDir, 'native-models', 'packs', 'tiny', 'pack.json'), 'utf8');
  const json = JSON.parse(text);
  const bytes = strToU8(text);
  return {
    name: 'pack.json (parsePackManifest)',
    make: (rng) =>
      rng() < 0.75 ? JSON.stringify(mutateJson(json, rng)) : Buffer.from(mutateBytes(bytes, rng)).toString('utf8'),
    call: (input) => parsePackManifest(input, 'fuzz-pack'),
  };
}

/**
 * A small library (so one input is a few kB and 10k of them fit a test): the real prompt_B MIDI and
 * tokens, a 0.1 s prompt recording, and a two-segment render of prompt_B.
 */
export function smallLibrary(lib: Library): { projectId: string; renderId: string } {
  const project = createProject(lib, 'Fuzz');
  const midi = readFileSync(testdata('midi-valle/prompt_B.midi'));
  const piece = addPiece(lib, project.id, { title: 'Prompt B', midi, midiName: 'prompt_B.midi', stats: { notes: 1 } });
  const performer = addPerformer(lib, {
    name: 'Short prompt',
    promptAudio: { bytes: sineWav(440, 0.1), format: 'wav', sampleRate: 8000, channels: 1, duration: 0.1 },
    promptMidi: midi,
    promptTokens: readFileSync(testdata('midi-valle/prompt_B.npy')),
    tags: { piano: 'Steinway D', room: 'hall', source: 'MAESTRO' },
    licence: 'CC BY-NC-SA 4.0',
    consent: { kind: 'public-domain' },
    notes: 'fuzz seed',
  });
  const render = createRender(lib, {
    pieceId: piece.id,
    performerId: performer.id,
    engine: 'neural',
    pack: { id: 'midi-valle-base', version: '1.0.0' },
    params: { temperature: 0.9, topK: 50 },
    seed: 42,
    device: 'cpu',
    segments: fixtureSegments(2, piece.midiHash),
  });
  return { projectId: project.id, renderId: render.id };
}

/**
 * readBundle on a real exported bundle: byte mutations of the zip, and field mutations of its
 * manifest re-zipped with the original blobs (so the validation past the zip layer is reached).
 * Every bundle readBundle accepts is also imported into a library, checked when the run ends.
 */
export async function bundleTarget(): Promise<FuzzTarget<Uint8Array> & { library: Library }> {
  const source = openLibrary(tempHome('fuzz-src'));
  const seeded = smallLibrary(source);
  await runRenderJob(source, createRenderJob(source, seeded.renderId).id, sineRenderer({ seconds: 0.02 }));
  const zipPath = join(tempHome('fuzz-zip'), 'bundle.zip');
  exportProjectBundle(source, seeded.projectId, zipPath);
  source.close();
  // The export holds fresh UUIDs, a timestamp and zip mtimes; pin them so every run fuzzes the same
  // bytes and a finding replays from (seed, iteration) alone.
  const entries = unzipSync(new Uint8Array(readFileSync(zipPath)));
  const ids = new Map<string, string>();
  const pinned = strFromU8(entries['manifest.json']!)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
      if (!ids.has(id)) ids.set(id, `00000000-0000-4000-8000-${String(ids.size).padStart(12, '0')}`);
      return ids.get(id)!;
    })
    .replace(/"createdAt": \d+/, '"createdAt": 1767225600000');
  entries['manifest.json'] = strToU8(pinned);
  const manifest = JSON.parse(pinned);
  const rezip = (files: Record<string, Uint8Array>): Uint8Array => {
    const zippable: Zippable = {};
    for (const [name, data] of Object.entries(files)) zippable[name] = [data, { level: 0, mtime: 1767225600000 }];
    return zipSync(zippable);
  };
  const zip = rezip(entries);
  const target = openLibrary(tempHome('fuzz-dst'));
  return {
    name: 'bundle (readBundle + importProjectBundle)',
    library: target,
    make: (rng) => {
      if (rng() < 0.5) return mutateBytes(zip, rng);
      return rezip({ ...entries, 'manifest.json': strToU8(JSON.stringify(mutateJson(manifest, rng))) });
    },
    call: (bytes) => {
      readBundle(bytes);
      importProjectBundle(target, bytes);
    },
    close: () => target.close(),
  };
}
