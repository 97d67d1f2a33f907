/** What the transport drives: the render's waveform player or the sampled-grand preview. */
export interface PlayerControls {
  play(): void;
  pause(): void;
  seek(time: number): void;
}
