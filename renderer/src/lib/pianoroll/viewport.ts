// Time-axis math shared by the piano roll, the waveform and the compare view: one view is a
// start time and a zoom (pixels per second) over a plot of known width.

export interface TimeView {
  /** Seconds at the left edge of the plot. */
  start: number;
  /** Zoom: pixels per second. */
  pxPerSec: number;
}

export const MAX_PX_PER_SEC = 2000;

/** The least zoom at which the whole piece fills the plot. */
export const fitZoom = (duration: number, width: number): number =>
  duration > 0 && width > 0 ? width / duration : 100;

/** Keeps the zoom between "whole piece" and MAX_PX_PER_SEC and the view inside the piece. */
export function clampView(view: TimeView, duration: number, width: number): TimeView {
  const minZoom = Math.min(fitZoom(duration, width), MAX_PX_PER_SEC);
  const pxPerSec = Math.min(Math.max(view.pxPerSec, minZoom), MAX_PX_PER_SEC);
  const span = width / pxPerSec;
  const start = Math.min(Math.max(view.start, 0), Math.max(0, duration - span));
  return { start, pxPerSec };
}

export const timeToX = (view: TimeView, time: number): number => (time - view.start) * view.pxPerSec;
export const xToTime = (view: TimeView, x: number): number => view.start + x / view.pxPerSec;

export function visibleRange(view: TimeView, width: number): { from: number; to: number } {
  return { from: view.start, to: view.start + width / view.pxPerSec };
}

/** Zooms by `factor` keeping the time under `anchorX` (plot pixels) where it is. */
export function zoomAt(view: TimeView, factor: number, anchorX: number, duration: number, width: number): TimeView {
  const anchorTime = xToTime(view, anchorX);
  const pxPerSec = view.pxPerSec * factor;
  return clampView({ pxPerSec, start: anchorTime - anchorX / pxPerSec }, duration, width);
}

/** Pans by a number of plot pixels (positive = later). */
export const panBy = (view: TimeView, dx: number, duration: number, width: number): TimeView =>
  clampView({ ...view, start: view.start + dx / view.pxPerSec }, duration, width);

/** Shows [from, to] with a little margin, e.g. a segment or a selection. */
export function showRange(from: number, to: number, duration: number, width: number): TimeView {
  const span = Math.max(to - from, 0.25) * 1.1;
  const pxPerSec = width / span;
  return clampView({ pxPerSec, start: from - (span - (to - from)) / 2 }, duration, width);
}

/** Moves the view by whole pages when `time` leaves it (playhead follow during playback). */
export function follow(view: TimeView, time: number, duration: number, width: number): TimeView {
  const { from, to } = visibleRange(view, width);
  if (time >= from && time <= to) return view;
  const span = to - from;
  return clampView({ ...view, start: time - span * 0.05 }, duration, width);
}

/** Converts a wheel event's delta to pixels whatever its deltaMode (lines, pages, pixels). */
export function wheelPixels(delta: number, deltaMode: number, pageSize: number): number {
  if (deltaMode === 1) return delta * 16;
  if (deltaMode === 2) return delta * pageSize;
  return delta;
}

/** A wheel gesture: ctrl/⌘ + wheel or a trackpad pinch zooms, shift or horizontal wheel pans. */
export function applyWheel(
  view: TimeView,
  wheel: { deltaX: number; deltaY: number; deltaMode: number; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean },
  anchorX: number,
  duration: number,
  width: number,
): TimeView {
  const dy = wheelPixels(wheel.deltaY, wheel.deltaMode, width);
  const dx = wheelPixels(wheel.deltaX, wheel.deltaMode, width);
  if (wheel.ctrlKey || wheel.metaKey) return zoomAt(view, Math.exp(-dy * 0.002), anchorX, duration, width);
  const horizontal = wheel.shiftKey ? dy + dx : Math.abs(dx) > Math.abs(dy) ? dx : dy;
  return panBy(view, horizontal, duration, width);
}
