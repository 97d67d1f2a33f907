// The roll's colours and the segment states they are keyed by: shared by the frame drawing (draw.ts)
// and the note layers (notes-layer.ts), so neither has to import the other.
import type { Rgb } from './colour';

export type SegmentStatus = 'pending' | 'running' | 'done' | 'failed' | 'none';

export interface RollPalette {
  background: string;
  blackRow: string;
  grid: string;
  text: string;
  muted: string;
  /** Per hand, one colour per velocity band (soft → loud). */
  right: Rgb[];
  left: Rgb[];
  accent: string;
  selection: string;
  playhead: string;
  status: Record<SegmentStatus, string>;
}
