// The one time axis that the piano roll and the waveform share: both draw from it and both write
// to it, so zooming or scrolling either moves the other.
import { clampView, fitZoom, type TimeView } from '../pianoroll/viewport';

class Timeline {
  // Raw, not deep state: views are only ever replaced whole, and a deep proxy would turn every
  // `view.start` read in the roll's per-note loops into a proxy trap plus a signal read.
  view = $state.raw<TimeView>({ start: 0, pxPerSec: 100 });
  /** Width of the plot area in CSS pixels (the roll's canvas minus its keyboard). */
  plotWidth = $state(800);
  duration = $state(0);

  set(view: TimeView): void {
    const next = clampView(view, this.duration, this.plotWidth);
    if (Math.abs(next.start - this.view.start) > 1e-6 || Math.abs(next.pxPerSec - this.view.pxPerSec) > 1e-6)
      this.view = next;
  }

  /** A new piece: show all of it. */
  reset(duration: number): void {
    this.duration = duration;
    this.view = { start: 0, pxPerSec: fitZoom(duration, this.plotWidth) };
  }

  resize(plotWidth: number): void {
    if (Math.abs(plotWidth - this.plotWidth) < 0.5) return;
    const wasFit = this.view.pxPerSec <= fitZoom(this.duration, this.plotWidth) + 1e-6;
    this.plotWidth = plotWidth;
    this.view = clampView(
      wasFit ? { start: 0, pxPerSec: fitZoom(this.duration, plotWidth) } : this.view,
      this.duration,
      plotWidth,
    );
  }
}

export const timeline = new Timeline();
