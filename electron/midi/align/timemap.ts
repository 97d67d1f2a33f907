// A monotone piecewise-linear map between reference time and performance time, through anchor points.
// Outside the anchors it continues with the mean tempo ratio, so a pickup or a final chord still maps.

export class TimeMap {
  /** Anchor times, both non-decreasing (strictly increasing once built from matched notes). */
  readonly ref: Float64Array;
  readonly perf: Float64Array;
  private readonly slope: number;

  constructor(ref: ArrayLike<number>, perf: ArrayLike<number>) {
    if (ref.length === 0 || ref.length !== perf.length) throw new Error('TimeMap needs matching non-empty anchors');
    this.ref = Float64Array.from(ref);
    this.perf = Float64Array.from(perf);
    const n = this.ref.length;
    const dx = this.ref[n - 1]! - this.ref[0]!;
    const dy = this.perf[n - 1]! - this.perf[0]!;
    this.slope = dx > 0 && dy > 0 ? dy / dx : 1;
  }

  get size(): number {
    return this.ref.length;
  }

  /** Reference seconds → performance seconds. */
  toPerf(t: number): number {
    return interpolate(this.ref, this.perf, t, this.slope);
  }

  /** Performance seconds → reference seconds. */
  toRef(t: number): number {
    return interpolate(this.perf, this.ref, t, 1 / this.slope);
  }
}

function interpolate(xs: Float64Array, ys: Float64Array, x: number, slope: number): number {
  const n = xs.length;
  if (x <= xs[0]!) return ys[0]! + (x - xs[0]!) * slope;
  if (x >= xs[n - 1]!) return ys[n - 1]! + (x - xs[n - 1]!) * slope;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const dx = xs[hi]! - xs[lo]!;
  if (dx <= 0) return ys[lo]!;
  return ys[lo]! + ((x - xs[lo]!) / dx) * (ys[hi]! - ys[lo]!);
}
