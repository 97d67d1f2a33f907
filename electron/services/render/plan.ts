import { createHash } from 'node:crypto';
import { StudioFailure } from '../../contract';
import {
  getPerformer,
  getPiece,
  type Library,
  type PerformerRecord,
  type PieceRecord,
  type RenderRecord,
} from '../../library';
import { importMidi, segmentNotes, segmentPerformance, type PedalMode, type SegmenterMode } from '../../midi';
import { DEVICE_CHOICES, type DeviceChoice } from '../../shared/devices';
import type { Performance, Segment } from '../../shared/performance';

const isDeviceChoice = (value: unknown): value is DeviceChoice =>
  typeof value === 'string' && (DEVICE_CHOICES as readonly string[]).includes(value);

/** What a render was asked for, stored with it so a resumed or regenerated job plans the same segments. */
export interface RenderParams {
  segmenter: SegmenterMode;
  pedal: PedalMode;
  sampling: { temperature?: number; topK?: number; topP?: number };
  /** The device asked for (auto, cpu, cuda, …); the render row records the one actually used. */
  device?: DeviceChoice;
  batch?: number;
  [key: string]: unknown;
}

export interface RenderPlan {
  piece: PieceRecord;
  performer: PerformerRecord;
  performance: Performance;
  segments: Segment[];
  params: RenderParams;
}

export const paramsOf = (render: RenderRecord): RenderParams => ({
  segmenter: (render.params.segmenter as SegmenterMode | undefined) ?? 'musical',
  pedal: (render.params.pedal as PedalMode | undefined) ?? 'ignore',
  sampling: (render.params.sampling as RenderParams['sampling'] | undefined) ?? {},
  ...(isDeviceChoice(render.params.device) ? { device: render.params.device } : {}),
  ...(typeof render.params.batch === 'number' ? { batch: render.params.batch } : {}),
});

/** A piece's performance, parsed from its stored MIDI (parsing is cheap next to any render). */
export function piecePerformance(lib: Library, piece: PieceRecord): Performance {
  return importMidi(lib.getBlob(piece.midiHash), piece.midiName ?? piece.title).performance;
}

export function planRender(lib: Library, pieceId: string, performerId: string, params: RenderParams): RenderPlan {
  const piece = getPiece(lib, pieceId);
  const performer = getPerformer(lib, performerId);
  const performance = piecePerformance(lib, piece);
  const segments = segmentPerformance(performance, params.segmenter);
  if (segments.length === 0) throw new StudioFailure('bad-input', `${piece.title} has no notes to render`);
  return { piece, performer, performance, segments, params };
}

export function planOf(lib: Library, render: RenderRecord): RenderPlan {
  if (!render.performerId) throw new StudioFailure('not-found', `render ${render.id} lost its performer`);
  return planRender(lib, render.pieceId, render.performerId, paramsOf(render));
}

/** The performer's prompt as a performance (its stored 3-s MIDI). */
export function promptPerformance(lib: Library, performer: PerformerRecord): Performance {
  return importMidi(lib.getBlob(performer.promptMidiHash), `${performer.name} prompt`).performance;
}

/** Identifies a segment's musical input, for the render cache: same notes, same hash. */
export function segmentInputHash(plan: RenderPlan, segment: Segment): string {
  const notes = segmentNotes(plan.performance, segment, { pedal: plan.params.pedal });
  const pedals = plan.performance.pedals.filter((p) => p.time >= segment.start && p.time < segment.end);
  const text = JSON.stringify({
    notes: notes.map((n) => [n.pitch, n.velocity, n.onset.toFixed(6), n.offset.toFixed(6)]),
    pedals,
  });
  return createHash('sha256').update(text).digest('hex');
}
