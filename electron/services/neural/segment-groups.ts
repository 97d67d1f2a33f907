// A batch render generates a group of segments in one engine call, while the render job asks for them one
// at a time, in order. Each segment of a group under way has a slot that the engine fills as soon as that
// segment's audio exists, so the job stores its take while the engine works on the rest of the group.
import type { SegmentResult } from '../../engine';
import { StudioFailure } from '../../shared/failure';

interface Slot {
  arrived: Promise<SegmentResult>;
  resolve(result: SegmentResult): void;
  reject(error: unknown): void;
}

function slot(): Slot {
  let resolve!: Slot['resolve'];
  let reject!: Slot['reject'];
  const arrived = new Promise<SegmentResult>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // A slot nobody takes (the job stopped first) may be rejected by its group's failure: not an unhandled one.
  arrived.catch(() => undefined);
  return { arrived, resolve, reject };
}

export class SegmentGroups {
  /** Segment index → its slot, from the start of its group until a render takes it. */
  private readonly slots = new Map<number, Slot>();

  /** Whether segment `index` belongs to a group started and not yet taken. */
  has(index: number): boolean {
    return this.slots.has(index);
  }

  /**
   * Starts a group: `generate` renders the segments `indices` (in that request order), hands each result to
   * `onSegment` as it exists, and resolves with all of them. Its failure (or cancellation) rejects every
   * slot still waiting, including those of renders that come later; the group is never retried.
   */
  start(indices: number[], generate: (onSegment: (result: SegmentResult) => void) => Promise<SegmentResult[]>): void {
    const group = indices.map((index) => {
      const own = slot();
      this.slots.set(index, own);
      return own;
    });
    const running = new Promise<SegmentResult[]>((resolve) =>
      resolve(generate((result) => group[result.index]?.resolve(result))),
    );
    // Settling a slot twice is a no-op, so the end only completes what did not arrive on its own.
    running.then(
      (results) => results.forEach((result, j) => group[j]!.resolve(result)),
      (error: unknown) => group.forEach((own) => own.reject(error)),
    );
  }

  /** Segment `index`'s result once it has arrived; rejects with its group's error. */
  take(index: number): Promise<SegmentResult> {
    const own = this.slots.get(index);
    if (!own) throw new StudioFailure('runtime', `segment ${index + 1} is in no group under way`);
    this.slots.delete(index);
    return own.arrived;
  }
}
