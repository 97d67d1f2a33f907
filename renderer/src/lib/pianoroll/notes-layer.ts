// Two ways to draw the visible notes. Few notes: rectangles batched into one path per colour
// (sub-pixel, crisp). Many notes (zoomed out): written straight into a pixel buffer and blitted
// once, because tens of thousands of path rectangles cost far more than a frame.
import { css, packed, VELOCITY_BANDS } from './colour';
import type { RollPalette } from './palette';
import { lowerBound, type RollNotes } from './notes';
import type { TimeView } from './viewport';

export const PIXEL_MODE_THRESHOLD = 3000;

export interface NoteGeometry {
  kb: number;
  rollTop: number;
  rowHeight: number;
  /** The highest pitch shown (top row). */
  high: number;
  plotWidth: number;
  plotHeight: number;
}

/** A palette's note colours in both forms, indexed by RollNotes.shade. */
interface ShadeColours {
  css: string[];
  packed: Uint32Array;
}

// Built once per palette, not per frame: a palette object only changes with the theme.
const shadeCache = new WeakMap<RollPalette, ShadeColours>();

function shadeColours(palette: RollPalette): ShadeColours {
  let colours = shadeCache.get(palette);
  if (!colours) {
    const rgb = [...palette.left, ...palette.right];
    colours = { css: rgb.map(css), packed: Uint32Array.from(rgb, packed) };
    shadeCache.set(palette, colours);
  }
  return colours;
}

export function drawNotesAsPaths(
  ctx: CanvasRenderingContext2D,
  notes: RollNotes,
  first: number,
  last: number,
  view: TimeView,
  g: NoteGeometry,
  palette: RollPalette,
): number {
  const paths: Path2D[] = Array.from({ length: 2 * VELOCITY_BANDS }, () => new Path2D());
  const { onset: onsets, offset: offsets, pitch, shade } = notes;
  const start = view.start;
  const pps = view.pxPerSec;
  const originX = g.kb - start * pps;
  const noteHeight = Math.max(1, g.rowHeight - 1);
  let drawn = 0;
  for (let i = first; i < last; i++) {
    const offset = offsets[i]!;
    if (offset < start) continue;
    const onset = onsets[i]!;
    const x = originX + onset * pps;
    paths[shade[i]!]!.rect(
      x,
      g.rollTop + (g.high - pitch[i]!) * g.rowHeight,
      Math.max(1.5, (offset - onset) * pps),
      noteHeight,
    );
    drawn++;
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(g.kb, g.rollTop, g.plotWidth, g.plotHeight);
  ctx.clip();
  const colours = shadeColours(palette).css;
  for (let index = 0; index < paths.length; index++) {
    ctx.fillStyle = colours[index]!;
    ctx.fill(paths[index]!);
  }
  ctx.restore();
  return drawn;
}

// One reusable buffer, sized by the plot (not the zoom): reallocating a canvas and ImageData every
// frame would dominate the cost.
let layer:
  { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D; image: ImageData; pixels: Uint32Array } | undefined;

function pixelLayer(width: number, height: number): NonNullable<typeof layer> {
  if (!layer || layer.image.width !== width || layer.image.height !== height) {
    const canvas = layer?.canvas ?? document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const image = new ImageData(width, height);
    layer = { canvas, context: canvas.getContext('2d')!, image, pixels: new Uint32Array(image.data.buffer) };
  }
  return layer;
}

export function drawNotesAsPixels(
  ctx: CanvasRenderingContext2D,
  notes: RollNotes,
  first: number,
  last: number,
  view: TimeView,
  g: NoteGeometry,
  palette: RollPalette,
): number {
  const ratio = ctx.getTransform().a || 1;
  const width = Math.max(1, Math.round(g.plotWidth * ratio));
  const height = Math.max(1, Math.round(g.plotHeight * ratio));
  const { canvas, context, image, pixels } = pixelLayer(width, height);
  pixels.fill(0);
  const colours = shadeColours(palette).packed;
  // Locals, not property reads, in the loop that runs once per visible note (up to every note).
  const { onset: onsets, offset: offsets, pitch, shade } = notes;
  const start = view.start;
  const pps = view.pxPerSec * ratio;
  const row = g.rowHeight * ratio;
  const high = g.high;
  const noteRows = Math.max(1, Math.floor(row - ratio));
  let drawn = 0;
  for (let i = first; i < last; i++) {
    const offset = offsets[i]!;
    if (offset < start) continue;
    const x0 = Math.max(0, Math.floor((onsets[i]! - start) * pps));
    if (x0 >= width) continue;
    const x1 = Math.min(width, Math.max(x0 + 2, Math.ceil((offset - start) * pps)));
    const y0 = Math.floor((high - pitch[i]!) * row);
    const y1 = Math.min(height, y0 + noteRows);
    const colour = colours[shade[i]!]!;
    // Plain element writes: notes are a few pixels wide here, and a fill() call per row costs more.
    for (let y = Math.max(0, y0); y < y1; y++) {
      const line = y * width;
      for (let x = line + x0, end = line + x1; x < end; x++) pixels[x] = colour;
    }
    drawn++;
  }
  context.putImageData(image, 0, 0);
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(canvas, Math.round(g.kb * ratio), Math.round(g.rollTop * ratio));
  ctx.restore();
  return drawn;
}

// The velocity lane's per-column maxima (both hands), reused across frames and cleared each time.
let laneMaxima = new Uint8Array(0);

function laneBuffer(length: number): Uint8Array {
  if (laneMaxima.length < length) laneMaxima = new Uint8Array(length);
  else laneMaxima.fill(0, 0, length);
  return laneMaxima;
}

/** The velocity lane: the loudest onset of each hand in each pixel column, as one stem. */
export function drawVelocityLane(
  ctx: CanvasRenderingContext2D,
  notes: RollNotes,
  first: number,
  last: number,
  view: TimeView,
  kb: number,
  plotWidth: number,
  bottom: number,
  laneHeight: number,
  palette: RollPalette,
): void {
  const columns = Math.ceil(plotWidth);
  const loudest = laneBuffer(2 * columns);
  const { onset: onsets, velocity, hand: hands } = notes;
  const start = view.start;
  const pps = view.pxPerSec;
  // Only onsets in view count: start at the first onset ≥ start, not at the first note still sounding.
  for (let i = Math.max(first, lowerBound(onsets, start, last)); i < last; i++) {
    const x = Math.floor((onsets[i]! - start) * pps);
    if (x < 0 || x >= columns) continue;
    const at = hands[i]! * columns + x;
    if (velocity[i]! > loudest[at]!) loudest[at] = velocity[i]!;
  }
  // Side-by-side rectangles, not one path of overlapping 2 px stems: the same shape, but a path of a
  // thousand overlapping rectangles costs the canvas raster several milliseconds a frame when
  // zoomed out, and plain rectangles almost nothing.
  for (let hand = 0; hand < 2; hand++) {
    ctx.fillStyle = css((hand === 0 ? palette.left : palette.right)[VELOCITY_BANDS - 2]!);
    stemRuns(loudest, hand * columns, columns, (x0, x1, loudness) => {
      const h = (loudness / 127) * laneHeight;
      ctx.fillRect(kb + x0, bottom - h, x1 - x0, h);
    });
  }
}

/**
 * The outline of a row of 2 px wide stems, one per column (`stems[offset + x]` tall, 0 = none), as
 * runs of equal height: pixel column c shows the taller of stems c − 1 and c, and the last stem
 * reaches column `columns`. Calls `run(x0, x1, height)` for each run with a height above 0.
 */
export function stemRuns(
  stems: Uint8Array,
  offset: number,
  columns: number,
  run: (x0: number, x1: number, height: number) => void,
): void {
  let runStart = 0;
  let runHeight = 0;
  let previous = 0;
  for (let c = 0; c <= columns + 1; c++) {
    const own = c < columns ? stems[offset + c]! : 0;
    const top = own > previous ? own : previous;
    previous = own;
    if (top === runHeight) continue;
    if (runHeight > 0) run(runStart, c, runHeight);
    runStart = c;
    runHeight = top;
  }
}
