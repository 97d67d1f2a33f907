// The roll's vertical axis: which keys are shown. By default the piece's own range ("fit to
// notes"); zoomed in, fewer keys with taller rows, scrolled up and down within the piano.

export interface PitchView {
  /** Lowest and highest MIDI pitch shown, inclusive. */
  low: number;
  high: number;
}

/** Fewest keys a zoom shows: an octave. */
export const MIN_KEYS = 12;

/** The whole keyboard (A0–C8), widened if the piece reaches beyond it. */
export const pianoBounds = (pitchMin: number, pitchMax: number): PitchView => ({
  low: Math.max(0, Math.min(21, pitchMin)),
  high: Math.min(127, Math.max(108, pitchMax)),
});

/** Keeps a view inside `bounds` and at least MIN_KEYS tall, keeping its size when it moves. */
export function clampPitchView(view: PitchView, bounds: PitchView): PitchView {
  const span = Math.min(bounds.high - bounds.low, Math.max(MIN_KEYS - 1, Math.round(view.high - view.low)));
  let low = Math.round(view.low);
  low = Math.min(Math.max(low, bounds.low), bounds.high - span);
  return { low, high: low + span };
}

/** Zooms by `factor` (>1 shows fewer keys) keeping `anchor` (a pitch, e.g. under the pointer) in place. */
export function zoomPitches(view: PitchView, factor: number, anchor: number, bounds: PitchView): PitchView {
  const span = view.high - view.low;
  const next = Math.max(MIN_KEYS - 1, Math.min(bounds.high - bounds.low, Math.round(span / factor)));
  const share = span > 0 ? (anchor - view.low) / span : 0.5;
  const low = anchor - share * next;
  return clampPitchView({ low, high: low + next }, bounds);
}

/** Scrolls by `keys` (positive: higher). */
export const scrollPitches = (view: PitchView, keys: number, bounds: PitchView): PitchView =>
  clampPitchView({ low: view.low + keys, high: view.high + keys }, bounds);

/** The pitch at `y` pixels below the top of the rows, for a view drawn `rowHeight` px per key. */
export const pitchAtY = (view: PitchView, y: number, rowHeight: number): number =>
  Math.min(view.high, Math.max(view.low, view.high - Math.floor(y / rowHeight)));
