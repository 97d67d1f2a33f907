// Two ways to draw the visible notes. Few notes: rectangles batched into one path per colour
// (sub-pixel, crisp). Many notes (zoomed out): written straight into a pixel buffer and blitted
// once, because tens of thousands of path rectangles cost far more than a frame.
import { css, packed, VELOCITY_BANDS, velocityBand } from './colour';
import type { RollPalette } from './draw';
import type { RollNotes } from './notes';
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
  const pps = view.pxPerSec;
  const originX = g.kb - view.start * pps;
  const noteHeight = Math.max(1, g.rowHeight - 1);
  let drawn = 0;
  for (let i = first; i < last; i++) {
    const offset = notes.offset[i]!;
    if (offset < view.start) continue;
    const onset = notes.onset[i]!;
    const x = originX + onset * pps;
    paths[notes.hand[i]! * VELOCITY_BANDS + velocityBand(notes.velocity[i]!)]!.rect(
      x,
      g.rollTop + (g.high - notes.pitch[i]!) * g.rowHeight,
      Math.max(1.5, (offset - onset) * pps),
      noteHeight,
    );
    drawn++;
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(g.kb, g.rollTop, g.plotWidth, g.plotHeight);
  ctx.clip();
  for (let hand = 0; hand < 2; hand++)
    for (let band = 0; band < VELOCITY_BANDS; band++) {
      ctx.fillStyle = css((hand === 0 ? palette.left : palette.right)[band]!);
      ctx.fill(paths[hand * VELOCITY_BANDS + band]!);
    }
  ctx.restore();
  return drawn;
}

// One reusable buffer: reallocating a canvas and ImageData every frame would dominate the cost.
let layer: { canvas: HTMLCanvasElement; image: ImageData; pixels: Uint32Array } | undefined;

function pixelLayer(width: number, height: number): NonNullable<typeof layer> {
  if (!layer || layer.image.width !== width || layer.image.height !== height) {
    const canvas = layer?.canvas ?? document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const image = new ImageData(width, height);
    layer = { canvas, image, pixels: new Uint32Array(image.data.buffer) };
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
  const { canvas, image, pixels } = pixelLayer(width, height);
  pixels.fill(0);
  const colours = [...palette.left.map(packed), ...palette.right.map(packed)];
  const pps = view.pxPerSec * ratio;
  const row = g.rowHeight * ratio;
  const noteRows = Math.max(1, Math.floor(row - ratio));
  let drawn = 0;
  for (let i = first; i < last; i++) {
    const offset = notes.offset[i]!;
    if (offset < view.start) continue;
    const x0 = Math.max(0, Math.floor((notes.onset[i]! - view.start) * pps));
    const x1 = Math.min(width, Math.max(x0 + 2, Math.ceil((offset - view.start) * pps)));
    if (x0 >= width) continue;
    const y0 = Math.floor((g.high - notes.pitch[i]!) * row);
    const y1 = Math.min(height, y0 + noteRows);
    const colour = colours[notes.hand[i]! * VELOCITY_BANDS + velocityBand(notes.velocity[i]!)]!;
    // Plain element writes: notes are a few pixels wide here, and a fill() call per row costs more.
    for (let y = y0; y < y1; y++) {
      const line = y * width;
      for (let x = line + x0, end = line + x1; x < end; x++) pixels[x] = colour;
    }
    drawn++;
  }
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(canvas, Math.round(g.kb * ratio), Math.round(g.rollTop * ratio));
  ctx.restore();
  return drawn;
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
  const loudest = [new Uint8Array(columns), new Uint8Array(columns)];
  for (let i = first; i < last; i++) {
    const x = Math.floor((notes.onset[i]! - view.start) * view.pxPerSec);
    if (x < 0 || x >= columns) continue;
    const lane = loudest[notes.hand[i]!]!;
    if (notes.velocity[i]! > lane[x]!) lane[x] = notes.velocity[i]!;
  }
  for (let hand = 0; hand < 2; hand++) {
    const lane = loudest[hand]!;
    const path = new Path2D();
    for (let x = 0; x < columns; x++) {
      const h = (lane[x]! / 127) * laneHeight;
      if (h > 0) path.rect(kb + x, bottom - h, 2, h);
    }
    ctx.fillStyle = css((hand === 0 ? palette.left : palette.right)[VELOCITY_BANDS - 2]!);
    ctx.fill(path);
  }
}
