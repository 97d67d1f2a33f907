// Transport state of the studio's player. The waveform owns the media element and attaches its
// controls here; the piano roll, shortcuts and segment lane only read and call this store.
export interface PlayerControls {
  play(): void;
  pause(): void;
  seek(time: number): void;
}

class Playback {
  time = $state(0);
  playing = $state(false);
  ready = $state(false);
  private controls: PlayerControls | null = null;

  attach(controls: PlayerControls | null): void {
    this.controls = controls;
    this.ready = controls !== null;
    if (!controls) this.playing = false;
  }

  toggle(): void {
    if (!this.controls) return;
    if (this.playing) this.controls.pause();
    else this.controls.play();
  }

  pause(): void {
    this.controls?.pause();
  }

  seek(time: number): void {
    this.time = Math.max(0, time);
    this.controls?.seek(this.time);
  }
}

export const playback = new Playback();
