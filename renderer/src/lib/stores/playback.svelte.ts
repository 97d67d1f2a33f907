// Transport state of the studio's player. Two sources can play: the open render's mix (the
// waveform owns its media element and attaches its controls here) and the instant preview (the
// sampled grand, streamed from the services) whenever no finished render is open. The piano roll,
// shortcuts and segment lane only read and call this store, whichever source is active.
import { call } from '../api';
import { PreviewPlayer } from '../audio/preview-player';
import type { PlayerControls } from '../audio/player-controls';

export type { PlayerControls };

class Playback {
  time = $state(0);
  playing = $state(false);
  /** What Play plays: the render's mix, the sampled-grand preview, or nothing (no piece). */
  source = $state<'render' | 'preview' | null>(null);
  previewError = $state<string | undefined>();
  private controls: PlayerControls | null = null;
  private preview: PreviewPlayer | null = null;
  private previewPiece: string | undefined;
  /** The playhead of every piece opened this session: a piece opens where it was left. */
  private positions = new Map<string, number>();

  get ready(): boolean {
    return this.source !== null;
  }

  /** The render's waveform is ready to play (or has gone): it takes over from the preview. */
  attach(controls: PlayerControls | null): void {
    if (controls && this.preview?.isPlaying) this.preview.pause();
    if (!controls && this.source === 'render') this.playing = false;
    this.controls = controls;
    controls?.seek(this.time);
    this.source = controls ? 'render' : this.preview ? 'preview' : null;
  }

  /** A piece is open (or none): the preview plays it until a finished render is open. */
  openPiece(pieceId: string | undefined, context?: () => { performerId?: string; renderId?: string }): void {
    if (this.previewPiece) this.positions.set(this.previewPiece, this.time);
    if (pieceId === this.previewPiece) return;
    this.preview?.dispose();
    this.preview = null;
    this.previewPiece = pieceId;
    this.previewError = undefined;
    if (this.source === 'preview') this.playing = false;
    this.time = pieceId ? (this.positions.get(pieceId) ?? 0) : 0;
    if (pieceId) {
      this.preview = new PreviewPlayer({
        fetch: (fromSec, durationSec) => call('pieces.preview', { pieceId, ...context?.(), fromSec, durationSec }),
        time: (t) => {
          if (this.source === 'preview') this.time = t;
        },
        playing: (p) => {
          if (this.source === 'preview') this.playing = p;
        },
        error: (message) => (this.previewError = message),
      });
    }
    this.source = this.controls ? 'render' : this.preview ? 'preview' : null;
  }

  private get active(): PlayerControls | null {
    return this.source === 'render' ? this.controls : this.source === 'preview' ? this.preview : null;
  }

  play(): void {
    const active = this.active;
    if (!active) return;
    this.previewError = undefined;
    // Always from the playhead the view shows: a click on the roll or a segment moved it.
    active.seek(this.time);
    active.play();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  pause(): void {
    this.active?.pause();
    this.preview?.pause();
  }

  seek(time: number): void {
    this.time = Math.max(0, time);
    this.active?.seek(this.time);
  }
}

export const playback = new Playback();
