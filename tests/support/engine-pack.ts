// Inputs of the engine tests: the committed tiny random-weight pack (native-models/packs/tiny, made by
// native-models/make_test_pack.py) and the shipped MIDI-VALLE prompt (token matrix + 32 kHz audio).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { encodeAudio } from '../../electron/engine/pipeline/codec';
import type { PromptCodes, SegmentInput } from '../../electron/engine/pipeline/types';
import { openPackSessions, withOnDemandSession, type PackSessions } from '../../electron/engine/runtime/pack-sessions';
import { projectDir, testdata } from './shared-data';

/** MIDI_VALLE_TINY_PACK may point at another copy while developing; tests and CI read the committed one. */
export const tinyPackDir = process.env.MIDI_VALLE_TINY_PACK ?? join(projectDir, 'native-models', 'packs', 'tiny');
export const hasTinyPack = existsSync(join(tinyPackDir, 'pack.json'));
export const tinyPackMissing = `tiny model pack missing at ${tinyPackDir} (made by python3 native-models/make_test_pack.py --dims tiny); engine graph tests skipped`;

if (!hasTinyPack) {
  if (process.env.CI === 'true')
    throw new Error(`CI=true but ${tinyPackMissing.replace('; engine graph tests skipped', '')}`);
  console.warn(tinyPackMissing);
}

/** A 2-D int .npy (little-endian int64 or int32, C order) as Int32 values plus its row count. */
export function readNpyMatrix(path: string): { values: Int32Array; rows: number; columns: number } {
  const bytes = readFileSync(path);
  if (bytes.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${path} is not a .npy file`);
  const major = bytes[6]!;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const dataStart = (major === 1 ? 10 : 12) + headerLength;
  const header = bytes.toString('latin1', major === 1 ? 10 : 12, dataStart);
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (!shape || header.includes("'fortran_order': True")) throw new Error(`${path}: unsupported .npy layout`);
  const rows = Number(shape[1]);
  const columns = Number(shape[2]);
  const values = new Int32Array(rows * columns);
  const data = bytes.subarray(dataStart);
  for (let i = 0; i < values.length; i++) {
    values[i] = descr === '<i8' ? Number(data.readBigInt64LE(i * 8)) : descr === '<i4' ? data.readInt32LE(i * 4) : NaN;
  }
  if (values.some(Number.isNaN)) throw new Error(`${path}: unsupported dtype ${descr}`);
  return { values, rows, columns };
}

/** The shipped prompt_A: tokens [55, 6] and its 3 s of 32 kHz audio. */
export function promptA(): { tokens: Int32Array; rows: number; audio: Float32Array; sampleRate: number } {
  const matrix = readNpyMatrix(testdata('midi-valle/prompt_A.npy'));
  const wave = decodeWaveToFloat32Channels(readFileSync(testdata('midi-valle/prompt_A.wav')));
  return { tokens: matrix.values, rows: matrix.rows, audio: wave.audioChannels[0]!, sampleRate: wave.sampleRate };
}

/** The first `rows` rows of a token matrix with an EOS row (2 in every column) appended. */
export function truncatedTokens(tokens: Int32Array, rows: number): { tokens: Int32Array; rows: number } {
  const out = new Int32Array((rows + 1) * 6);
  out.set(tokens.subarray(0, rows * 6));
  out.fill(2, rows * 6);
  return { tokens: out, rows: rows + 1 };
}

/**
 * The tiny pack opened as the engine opens it, with 1 s of prompt A encoded (50 frames) and two segments of
 * prompt A's tokens: all of them (seed 11) and the first 30 rows (seed 12). The caller releases `loaded`.
 */
export async function openTinyRun(): Promise<{
  loaded: PackSessions;
  prompt: PromptCodes;
  long: SegmentInput;
  short: SegmentInput;
}> {
  const loaded = await openPackSessions(tinyPackDir, { threads: 2 });
  const a = promptA();
  const prompt = await withOnDemandSession(loaded, (encoder) => encodeAudio(encoder, a.audio.subarray(0, 32000)));
  return { loaded, prompt, long: { ...a, seed: 11 }, short: { ...truncatedTokens(a.tokens, 30), seed: 12 } };
}
