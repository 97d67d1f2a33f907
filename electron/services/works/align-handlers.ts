// works.align: reads the two MIDI files (picked bytes or library pieces) and aligns them in the midi
// domain; refuses, as bad input, two files that are not the same music unless forced.
import { StudioFailure } from '../../contract';
import type { MidiSource } from '../../contract/methods/works';
import { getPiece } from '../../library';
import { importMidi } from '../../midi';
import { alignNotes, midiBeats, parseBeatList, performanceCurves, roundCurveRow, sampleMap } from '../../midi/align';
import type { Performance } from '../../shared/performance';
import { fileBytes } from '../file-data';
import type { Handler, ServiceContext } from '../handlers';

export interface LoadedMidi {
  name: string;
  bytes: Uint8Array;
  performance: Performance;
}

/** The bytes and parsed notes of a MIDI source. */
export function loadMidiSource(source: MidiSource, ctx: ServiceContext): LoadedMidi {
  if ('file' in source) {
    const bytes = fileBytes(source.file, ctx);
    return { name: source.file.fileName, bytes, performance: importMidi(bytes, source.file.fileName).performance };
  }
  const lib = ctx.library();
  const piece = getPiece(lib, source.pieceId);
  const name = piece.midiName ?? piece.title;
  const bytes = lib.getBlob(piece.midiHash);
  return { name, bytes, performance: importMidi(bytes, name).performance };
}

const percent = (x: number): string => `${Math.round(x * 100)} %`;

export const worksAlign: Handler<'works.align'> = (args, ctx) => {
  const perf = loadMidiSource(args.perf, ctx);
  const ref = loadMidiSource(args.ref, ctx);
  const alignment = alignNotes(ref.performance.notes, perf.performance.notes);
  const { stats } = alignment;
  if (!stats.samePiece && !args.force) {
    throw new StudioFailure(
      'bad-input',
      `${perf.name} and ${ref.name}: these do not look like the same piece (only ${percent(Math.min(stats.refMatchedRatio, stats.perfMatchedRatio))} of the notes match); check the files, or force the alignment`,
    );
  }
  const map = sampleMap(alignment, perf.performance.notes);
  if (!args.curves && !args.beats) return { map, stats };
  const refNotes = ref.performance.notes;
  const grid = args.beats
    ? parseBeatList(Buffer.from(fileBytes(args.beats, ctx)).toString('utf8'), args.beats.fileName)
    : midiBeats(ref.bytes, ref.name, refNotes[refNotes.length - 1]!.onset);
  const curves = performanceCurves(alignment, refNotes, perf.performance.notes, grid).map(roundCurveRow);
  return { map, stats, curves, beatSource: args.beats ? 'beat-list' : 'reference-midi' };
};
