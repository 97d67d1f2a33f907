// Renders of different performances of one work, played in musical time: only the audible one plays;
// switching hands the position over through the alignments (bar N of A → bar N of B), a seek goes to a
// reference time, and a bar range can loop. Level matching as in Compare (gain from loudness).
import { barBeatAt, toPerf, toRef, type BeatRuler, type MapPoints } from '../works/time-map';

export interface MusicalEntry {
  pieceId: string;
  label: string;
  media: HTMLAudioElement;
  gain: number;
  /** The performance's map to the reference: [t_perf, t_ref] points. */
  map: MapPoints;
}

class MusicalCompare {
  entries = $state.raw<MusicalEntry[]>([]);
  active = $state(0);
  playing = $state(false);
  /** Reference seconds of the audible performance's position. */
  refTime = $state(0);
  /** The audible performance's own seconds. */
  perfTime = $state(0);
  /** Reference-time loop [from, to), or null. */
  loop = $state<[number, number] | null>(null);
  private beats: BeatRuler = { times: [], bars: [], beatInBar: [] };
  private timer = 0;

  set(entries: MusicalEntry[], beats: BeatRuler): void {
    this.stop();
    this.entries = entries;
    this.beats = beats;
    this.active = 0;
    this.loop = null;
    for (const entry of entries) {
      entry.media.preload = 'auto';
      entry.media.volume = Math.min(1, entry.gain);
    }
    this.seekRef(0);
  }

  position(): { bar: number; beat: number } {
    return barBeatAt(this.beats, this.refTime);
  }

  /** Moves every player to the reference time `ref` (each to its own moment of that bar and beat). */
  seekRef(ref: number): void {
    this.refTime = ref;
    this.entries.forEach((entry, i) => {
      const t = Math.max(0, toPerf(entry.map, ref));
      entry.media.currentTime = t;
      if (i === this.active) this.perfTime = t;
    });
  }

  switchTo(index: number): void {
    if (index < 0 || index >= this.entries.length || index === this.active) return;
    const from = this.entries[this.active];
    const ref = from ? toRef(from.map, from.media.currentTime) : this.refTime;
    from?.media.pause();
    this.active = index;
    this.seekRef(ref);
    if (this.playing) void this.entries[index]!.media.play().catch(() => undefined);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    const entry = this.entries[this.active];
    if (!entry) return;
    void entry.media.play().catch(() => undefined);
    this.playing = true;
    window.clearInterval(this.timer);
    this.timer = window.setInterval(() => this.tick(), 50);
  }

  pause(): void {
    for (const entry of this.entries) entry.media.pause();
    this.playing = false;
    window.clearInterval(this.timer);
    this.tick();
  }

  private tick(): void {
    const entry = this.entries[this.active];
    if (!entry) return;
    this.perfTime = entry.media.currentTime;
    this.refTime = toRef(entry.map, this.perfTime);
    if (this.loop && this.playing && this.refTime >= this.loop[1]) this.seekRef(this.loop[0]);
    else if (entry.media.ended) this.pause();
  }

  stop(): void {
    this.pause();
    for (const entry of this.entries) entry.media.removeAttribute('src');
    this.entries = [];
  }
}

export const musicalCompare = new MusicalCompare();
