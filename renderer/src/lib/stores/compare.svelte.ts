// Synced, loudness-matched A/B playback of several renders of one piece. Every render plays at
// once from its own media element; only the active one is audible, so switching is instant and
// keeps the position.
export interface CompareEntry {
  renderId: string;
  /** The render's own letter: fixed by its place among the piece's finished renders, oldest first. */
  letter: string;
  label: string;
  media: HTMLAudioElement;
  /** Linear gain that matches its loudness to the quietest render (never above 1). */
  gain: number;
}

const LETTERS = 'ABCDEFGH';
export const letter = (index: number): string => LETTERS[index] ?? String(index + 1);

/** One colour per letter, the same in the checklist, the lanes, the waveforms and the chart. */
const LETTER_COLOURS = ['#3a5ccc', '#d9822b', '#2f9e63', '#b5479b', '#8a6d3b', '#c0392b', '#16a2b8', '#6c757d'];
export const letterColour = (l: string): string => LETTER_COLOURS[LETTERS.indexOf(l)] ?? LETTER_COLOURS[0]!;

class Compare {
  entries = $state.raw<CompareEntry[]>([]);
  active = $state(0);
  playing = $state(false);
  time = $state(0);
  private timer = 0;

  /**
   * Replaces the players. With `keepPosition` the new set carries on where the old one was: same
   * time, still playing if it was, the same render audible if it is still compared. Without, it
   * starts from the beginning.
   */
  set(entries: CompareEntry[], keepPosition = false): void {
    const audible = this.entries[this.active];
    const at = keepPosition ? (audible?.media.currentTime ?? this.time) : 0;
    const resume = keepPosition && this.playing;
    this.stop();
    this.entries = entries;
    const same = entries.findIndex((entry) => entry.renderId === audible?.renderId);
    this.active = keepPosition && same >= 0 ? same : Math.min(this.active, Math.max(0, entries.length - 1));
    for (const entry of entries) entry.media.preload = 'auto';
    this.applyVolumes();
    this.seek(at);
    if (resume) this.play();
  }

  private applyVolumes(): void {
    this.entries.forEach((entry, i) => {
      entry.media.volume = Math.min(1, entry.gain);
      entry.media.muted = i !== this.active;
    });
  }

  switchTo(index: number): void {
    if (index < 0 || index >= this.entries.length) return;
    const from = this.entries[this.active]?.media.currentTime ?? this.time;
    this.active = index;
    const target = this.entries[index]!.media;
    if (Math.abs(target.currentTime - from) > 0.03) target.currentTime = from;
    this.applyVolumes();
  }

  /** Switch to the render that carries this letter, if it is being compared. */
  switchToLetter(l: string): boolean {
    const index = this.entries.findIndex((e) => e.letter === l);
    if (index >= 0) this.switchTo(index);
    return index >= 0;
  }

  next(): void {
    if (this.entries.length) this.switchTo((this.active + 1) % this.entries.length);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (!this.entries.length) return;
    const at = this.entries[this.active]!.media.currentTime;
    for (const entry of this.entries) {
      entry.media.currentTime = at;
      void entry.media.play().catch(() => undefined);
    }
    this.playing = true;
    // Keep the silent players on the audible one's clock.
    this.timer = window.setInterval(() => this.resync(), 250);
  }

  pause(): void {
    for (const entry of this.entries) entry.media.pause();
    this.playing = false;
    window.clearInterval(this.timer);
  }

  seek(time: number): void {
    this.time = time;
    for (const entry of this.entries) entry.media.currentTime = time;
  }

  private resync(): void {
    const lead = this.entries[this.active]?.media;
    if (!lead) return;
    this.time = lead.currentTime;
    if (lead.ended) this.pause();
    for (const entry of this.entries)
      if (entry.media !== lead && Math.abs(entry.media.currentTime - lead.currentTime) > 0.06)
        entry.media.currentTime = lead.currentTime;
  }

  stop(): void {
    this.pause();
    for (const entry of this.entries) entry.media.removeAttribute('src');
  }
}

export const compare = new Compare();
