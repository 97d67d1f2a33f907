// The piano roll is one canvas redrawn whole on each animation frame: culled to the visible time
// range, notes batched into a dozen paths (hand × velocity band) so a frame is one pass over them.
import { lowerBound, visibleNotes, type PedalPoint, type RollNotes } from './notes';
import {
  drawNotesAsPaths,
  drawNotesAsPixels,
  drawVelocityLane,
  PIXEL_MODE_THRESHOLD,
  type NoteGeometry,
} from './notes-layer';
import { rampColours } from './colour';
import { timeToX, visibleRange, type TimeView } from './viewport';

import type { RollPalette, SegmentStatus } from './palette';

export type { RollPalette, SegmentStatus };

export interface RollSegment {
  index: number;
  start: number;
  end: number;
  status: SegmentStatus;
}

export interface RollOverlay {
  segments: RollSegment[];
  selectedSegment: number | null;
  selection: { from: number; to: number } | null;
  playhead: number | null;
  pedals: PedalPoint[];
  /** The keys shown (vertical zoom); default: the piece's own range. */
  pitches?: { low: number; high: number };
}

/** Vertical bands of the canvas, top to bottom; the keyboard takes the left `keyboard` pixels. */
export const LAYOUT = { keyboard: 56, ruler: 16, band: 22, velocity: 52, pedal: 26 } as const;

export type RollRegion = 'ruler' | 'segments' | 'notes' | 'velocity' | 'pedal' | 'keyboard';

export function regionAt(x: number, y: number, height: number): RollRegion {
  if (x < LAYOUT.keyboard) return 'keyboard';
  if (y < LAYOUT.ruler) return 'ruler';
  if (y < LAYOUT.ruler + LAYOUT.band) return 'segments';
  if (y >= height - LAYOUT.pedal) return 'pedal';
  if (y >= height - LAYOUT.pedal - LAYOUT.velocity) return 'velocity';
  return 'notes';
}

const BLACK = [false, true, false, true, false, false, true, false, true, false, true, false];
const NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];

export const pitchName = (pitch: number): string => `${NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`;

/** A tick step (s) that leaves at least ~70 px between labels. */
export function tickStep(pxPerSec: number): number {
  for (const step of [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300]) if (step * pxPerSec >= 70) return step;
  return 600;
}

export const formatTime = (seconds: number, step = 1): string => {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  const digits = step < 1 ? (step < 0.1 ? 2 : 1) : 0;
  return `${m}:${s.toFixed(digits).padStart(digits ? 3 + digits : 2, '0')}`;
};

/** The pitch rows shown: the piece's range with a little air, at least two octaves. */
export function pitchRange(notes: RollNotes): { low: number; high: number } {
  let low = Math.max(0, notes.pitchMin - 2);
  let high = Math.min(127, notes.pitchMax + 2);
  while (high - low < 24) {
    low = Math.max(0, low - 1);
    high = Math.min(127, high + 1);
  }
  return { low, high };
}

export function drawRoll(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  notes: RollNotes,
  view: TimeView,
  overlay: RollOverlay,
  palette: RollPalette,
): number {
  const kb = LAYOUT.keyboard;
  const plotWidth = width - kb;
  const rollTop = LAYOUT.ruler + LAYOUT.band;
  const velocityTop = height - LAYOUT.pedal - LAYOUT.velocity;
  const pedalTop = height - LAYOUT.pedal;
  const rollHeight = velocityTop - rollTop;
  const { low, high } = overlay.pitches ?? pitchRange(notes);
  const rowHeight = rollHeight / (high - low + 1);
  const { from, to } = visibleRange(view, plotWidth);
  const x = (t: number): number => kb + timeToX(view, t);

  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, width, height);

  // Black-key rows, then the time grid.
  ctx.fillStyle = palette.blackRow;
  for (let p = low; p <= high; p++)
    if (BLACK[p % 12]) ctx.fillRect(kb, rollTop + (high - p) * rowHeight, plotWidth, rowHeight);
  const step = tickStep(view.pxPerSec);
  ctx.fillStyle = palette.grid;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    ticks.push(t);
    ctx.fillRect(Math.round(x(t)), LAYOUT.ruler, 1, height - LAYOUT.ruler);
  }
  ctx.fillStyle = palette.muted;
  for (const t of ticks) ctx.fillText(formatTime(t, step), x(t) + 3, LAYOUT.ruler / 2);

  // Segment bands with their status, and their boundaries across the roll.
  ctx.font = '11px system-ui, sans-serif';
  for (const segment of overlay.segments) {
    if (segment.end < from || segment.start > to) continue;
    const x0 = Math.max(kb, x(segment.start));
    const x1 = Math.min(width, x(segment.end));
    ctx.fillStyle = palette.status[segment.status];
    ctx.fillRect(x0 + 1, LAYOUT.ruler + 2, Math.max(0, x1 - x0 - 2), LAYOUT.band - 4);
    if (segment.index === overlay.selectedSegment) {
      ctx.strokeStyle = palette.accent;
      ctx.lineWidth = 2;
      ctx.strokeRect(x0 + 1, LAYOUT.ruler + 2, Math.max(0, x1 - x0 - 2), LAYOUT.band - 4);
    }
    ctx.fillStyle = palette.text;
    const label = segment.status === 'none' ? `${segment.index + 1}` : `${segment.index + 1} · ${segment.status}`;
    if (x1 - x0 > 24) ctx.fillText(label, x0 + 6, LAYOUT.ruler + LAYOUT.band / 2, x1 - x0 - 10);
    ctx.fillStyle = palette.muted;
    ctx.fillRect(Math.round(x(segment.start)), rollTop, 1, height - rollTop);
  }

  // Notes (culled to the view), then the velocity lane as one stem per pixel column.
  const { first, last } = visibleNotes(notes, from, to);
  const geometry: NoteGeometry = { kb, rollTop, rowHeight, high, plotWidth, plotHeight: rollHeight };
  const drawn =
    last - first > PIXEL_MODE_THRESHOLD
      ? drawNotesAsPixels(ctx, notes, first, last, view, geometry, palette)
      : drawNotesAsPaths(ctx, notes, first, last, view, geometry, palette);
  drawVelocityLane(ctx, notes, first, last, view, kb, plotWidth, pedalTop - 2, LAYOUT.velocity - 6, palette);

  // Lanes: separators and the sustain pedal as a filled step curve.
  ctx.fillStyle = palette.grid;
  ctx.fillRect(kb, velocityTop, plotWidth, 1);
  ctx.fillRect(kb, pedalTop, plotWidth, 1);
  drawPedal(ctx, overlay.pedals, x, from, to, pedalTop + 3, LAYOUT.pedal - 5, palette.accent, width);

  if (overlay.selection) {
    const x0 = Math.max(kb, x(overlay.selection.from));
    const x1 = Math.min(width, x(overlay.selection.to));
    if (x1 > x0) {
      ctx.fillStyle = palette.selection;
      ctx.fillRect(x0, LAYOUT.ruler, x1 - x0, height - LAYOUT.ruler);
    }
  }
  if (overlay.playhead !== null) {
    const px = x(overlay.playhead);
    if (px >= kb && px <= width) {
      ctx.fillStyle = palette.playhead;
      ctx.fillRect(Math.round(px) - 1, 0, 2, height);
    }
  }

  drawKeyboard(ctx, low, high, rollTop, rowHeight, velocityTop, height, palette);
  return drawn;
}

// The sustain points and their times, once per pedal list rather than filtered again every frame.
const sustainCache = new WeakMap<PedalPoint[], { sustain: PedalPoint[]; times: Float64Array }>();

function sustainOf(pedals: PedalPoint[]): { sustain: PedalPoint[]; times: Float64Array } {
  let entry = sustainCache.get(pedals);
  if (!entry) {
    const sustain = pedals.filter((p) => p.kind === 'sustain');
    entry = { sustain, times: Float64Array.from(sustain, (p) => p.time) };
    sustainCache.set(pedals, entry);
  }
  return entry;
}

function drawPedal(
  ctx: CanvasRenderingContext2D,
  pedals: PedalPoint[],
  x: (t: number) => number,
  from: number,
  to: number,
  top: number,
  laneHeight: number,
  colour: string,
  width: number,
): void {
  const { sustain, times } = sustainOf(pedals);
  if (!sustain.length) return;
  ctx.fillStyle = colour;
  ctx.globalAlpha = 0.55;
  let i = Math.max(0, lowerBound(times, from) - 1);
  for (; i < sustain.length; i++) {
    const point = sustain[i]!;
    if (point.time > to) break;
    const next = sustain[i + 1]?.time ?? to;
    const h = (point.value / 127) * laneHeight;
    if (h > 0) {
      const x0 = Math.max(LAYOUT.keyboard, x(point.time));
      ctx.fillRect(x0, top + laneHeight - h, Math.min(width, x(next)) - x0, h);
    }
  }
  ctx.globalAlpha = 1;
}

function drawKeyboard(
  ctx: CanvasRenderingContext2D,
  low: number,
  high: number,
  rollTop: number,
  rowHeight: number,
  velocityTop: number,
  height: number,
  palette: RollPalette,
): void {
  const kb = LAYOUT.keyboard;
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, kb, height);
  ctx.fillStyle = '#f7f7f4';
  ctx.fillRect(0, rollTop, kb, velocityTop - rollTop);
  // Names: every C, and every white key once the rows are tall enough to read them.
  const allNames = rowHeight >= 11;
  ctx.font = `${Math.min(11, Math.max(8, Math.floor(rowHeight - 2)))}px system-ui, sans-serif`;
  for (let p = low; p <= high; p++) {
    const y = rollTop + (high - p) * rowHeight;
    if (BLACK[p % 12]) {
      ctx.fillStyle = '#26262a';
      ctx.fillRect(0, y, kb * 0.6, rowHeight);
    } else {
      ctx.fillStyle = '#d0d0cc';
      ctx.fillRect(0, y + rowHeight - 0.5, kb, 0.5);
    }
    if ((p % 12 === 0 && rowHeight >= 2.5) || (allNames && !BLACK[p % 12])) {
      ctx.fillStyle = p % 12 === 0 ? '#26262a' : '#6a6a70';
      ctx.fillText(pitchName(p), kb - 22, y + rowHeight / 2, 21);
    }
  }
  ctx.fillStyle = palette.grid;
  ctx.fillRect(kb - 1, 0, 1, height);
  ctx.fillStyle = palette.muted;
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillText('vel', 6, velocityTop + LAYOUT.velocity / 2);
  ctx.fillText('pedal', 6, height - LAYOUT.pedal / 2);
}

/** Colours from the page's CSS custom properties, so both themes apply to the canvas. */
export function paletteFrom(element: Element): RollPalette {
  const css = getComputedStyle(element);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--roll-bg', '#fbfaf7'),
    blackRow: v('--roll-black-row', 'rgba(0,0,0,0.045)'),
    grid: v('--roll-grid', 'rgba(0,0,0,0.12)'),
    text: v('--text', '#1d1d1f'),
    muted: v('--muted', '#6b6b70'),
    right: rampColours(222),
    left: rampColours(24),
    accent: v('--accent', '#3a5ccc'),
    selection: v('--roll-selection', 'rgba(58,92,204,0.16)'),
    playhead: v('--playhead', '#d23c3c'),
    status: {
      none: v('--seg-none', 'rgba(120,120,130,0.18)'),
      pending: v('--seg-pending', 'rgba(120,120,130,0.25)'),
      running: v('--seg-running', 'rgba(230,170,40,0.45)'),
      done: v('--seg-done', 'rgba(60,170,100,0.35)'),
      failed: v('--seg-failed', 'rgba(210,60,60,0.45)'),
    },
  };
}
