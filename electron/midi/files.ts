// Reading a MIDI file from disk with the checks a user-facing command needs.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { StudioFailure } from '../shared/failure';
import { importMidi, type MidiImport } from './import';

/** .mid or .midi, any case. */
export function isMidiFileName(path: string): boolean {
  return /\.midi?$/i.test(path);
}

export async function readMidiFile(path: string): Promise<MidiImport> {
  const name = basename(path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StudioFailure('not-found', `${path}: no such file`);
    if (code === 'EISDIR') throw new StudioFailure('bad-input', `${path}: is a folder, not a MIDI file`);
    throw new StudioFailure('bad-input', `${path}: cannot be read (${code ?? String(error)})`);
  }
  return importMidi(bytes, name);
}
