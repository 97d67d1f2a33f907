// Reading a MIDI file from disk with the checks a user-facing command needs.
import { basename } from 'node:path';
import { readInputFile } from '../shared/bounded-read';
import { importMidi, type MidiImport } from './import';

/** .mid or .midi, any case. */
export function isMidiFileName(path: string): boolean {
  return /\.midi?$/i.test(path);
}

/** No performance MIDI comes near this (an 11-minute ASAP take is ~100 kB); a bigger "MIDI file" is not one. */
export const MIDI_FILE_MAX_BYTES = 64 * 1024 * 1024;

export async function readMidiFile(path: string): Promise<MidiImport> {
  const name = basename(path);
  return importMidi(readInputFile(path, 'MIDI file', MIDI_FILE_MAX_BYTES), name);
}
