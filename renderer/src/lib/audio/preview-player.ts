// The instant preview: plays the open piece with the sampled grand from any position, before any
// render exists and while renders run. The services render the piece window by window
// (pieces.preview); the windows are cut exactly from one whole render, so scheduling them back to
// back on one Web Audio clock plays the piece without seams.
import type { PiecePreview } from '../../../../electron/contract/methods/pieces';
import type { PlayerControls } from './player-controls';

/** The first window is short so the sound starts at once; later ones are longer and fewer. */
const FIRST_WINDOW = 1;
const WINDOW = 3;
/** How far ahead of the playhead windows are fetched: covers a busy services process. */
const AHEAD = 7;

export interface PreviewHooks {
  fetch(fromSec: number, durationSec: number): Promise<PiecePreview>;
  time(seconds: number): void;
  playing(playing: boolean): void;
  error(message: string): void;
}

export class PreviewPlayer implements PlayerControls {
  private context: AudioContext | undefined;
  private generation = 0;
  private position = 0;
  /** Where on the context's clock the piece's time `origin` sounds. */
  private clockAt = 0;
  private origin = 0;
  private end = Infinity;
  private sources: AudioBufferSourceNode[] = [];
  private frame = 0;
  private running = false;

  constructor(private readonly hooks: PreviewHooks) {}

  get isPlaying(): boolean {
    return this.running;
  }

  play(): void {
    void this.start(this.position);
  }

  pause(): void {
    if (this.running) this.position = this.now();
    this.stop();
    this.hooks.playing(false);
  }

  seek(time: number): void {
    this.position = Math.max(0, time);
    if (this.running) void this.start(this.position);
  }

  /** Stops for good (the piece is closed or a render's audio takes over). */
  dispose(): void {
    this.stop();
    void this.context?.close();
    this.context = undefined;
  }

  private now(): number {
    return this.context ? this.origin + (this.context.currentTime - this.clockAt) : this.position;
  }

  private stop(): void {
    this.generation++;
    this.running = false;
    cancelAnimationFrame(this.frame);
    for (const source of this.sources) {
      try {
        source.stop();
      } catch {
        // never started: nothing to stop
      }
    }
    this.sources = [];
  }

  private async start(from: number): Promise<void> {
    this.stop();
    const generation = this.generation;
    this.running = true;
    this.hooks.playing(true);
    try {
      this.context ??= new AudioContext({ latencyHint: 'playback' });
      await this.context.resume();
      let next = from;
      this.end = Infinity;
      let first = true;
      while (generation === this.generation && next < this.end) {
        // Wait while enough is queued; the playhead moves on meanwhile.
        if (!first && next - this.now() > AHEAD) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          continue;
        }
        const window = await this.hooks.fetch(next, first ? FIRST_WINDOW : WINDOW);
        if (generation !== this.generation) return;
        const buffer = await this.context.decodeAudioData(base64Bytes(window.wavBase64));
        if (generation !== this.generation) return;
        if (first) {
          this.origin = window.fromSec;
          this.clockAt = this.context.currentTime + 0.05;
          this.tick(generation);
          first = false;
        }
        this.schedule(buffer, window.fromSec);
        next = window.fromSec + window.durationSec;
        if (window.last) this.end = next;
      }
    } catch (error) {
      if (generation !== this.generation) return;
      this.stop();
      this.hooks.playing(false);
      this.hooks.error(`The preview could not play: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private schedule(buffer: AudioBuffer, fromSec: number): void {
    const context = this.context!;
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    const when = this.clockAt + (fromSec - this.origin);
    // A window that arrives late starts at once, into its own middle: the clock never waits.
    const late = Math.max(0, context.currentTime - when);
    source.start(Math.max(when, context.currentTime), late);
    source.onended = () => (this.sources = this.sources.filter((s) => s !== source));
    this.sources.push(source);
  }

  private tick(generation: number): void {
    if (generation !== this.generation) return;
    const time = this.now();
    if (time >= this.end) {
      this.position = this.end;
      this.hooks.time(this.end);
      this.stop();
      this.hooks.playing(false);
      return;
    }
    this.position = time;
    this.hooks.time(time);
    this.frame = requestAnimationFrame(() => this.tick(generation));
  }
}

function base64Bytes(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}
