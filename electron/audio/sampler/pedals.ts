// Pedal state over time and the damper semantics of a grand piano:
// * sustain (CC64): while down, no damper falls; a key released under the pedal keeps sounding
//   until the pedal comes up (values ≥ 64 count as down: no half-pedal modelling);
// * sostenuto (CC66): keeps the dampers up only for keys that were held when it went down;
// * soft (CC67, una corda): read at each note's onset.
// The top of the keyboard (F6 = MIDI 89 and up) has no dampers on a grand, so those strings ring on.
import type { PedalEvent, PedalKind, PerformedNote } from '../../shared/performance';

export const FIRST_UNDAMPED_PITCH = 89;
const DOWN = 64;

/** Down/up transitions of one pedal, as sorted [time, down] pairs (repeats of the same state removed). */
class PedalTrack {
  readonly times: number[] = [];
  readonly down: boolean[] = [];
  constructor(events: PedalEvent[], kind: PedalKind) {
    let state = false;
    for (const e of events) {
      if (e.kind !== kind) continue;
      const isDown = e.value >= DOWN;
      if (isDown !== state) {
        this.times.push(e.time);
        this.down.push(isDown);
        state = isDown;
      }
    }
  }
  /** Index of the last transition at or before t, or −1. */
  private indexAt(t: number): number {
    let lo = 0;
    let hi = this.times.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
  isDown(t: number): boolean {
    const i = this.indexAt(t);
    return i >= 0 && this.down[i]!;
  }
  /** Time the pedal next comes up after t (Infinity if never); only meaningful when it is down at t. */
  nextUp(t: number): number {
    for (let i = this.indexAt(t) + 1; i < this.times.length; i++) if (!this.down[i]) return this.times[i]!;
    return Infinity;
  }
  /** Time it last went down at or before t. */
  lastDown(t: number): number {
    const i = this.indexAt(t);
    return i >= 0 && this.down[i] ? this.times[i]! : -Infinity;
  }
}

export class PedalTimeline {
  private readonly sustain: PedalTrack;
  private readonly sostenuto: PedalTrack;
  private readonly soft: PedalTrack;
  constructor(events: PedalEvent[]) {
    const sorted = [...events].sort((a, b) => a.time - b.time);
    this.sustain = new PedalTrack(sorted, 'sustain');
    this.sostenuto = new PedalTrack(sorted, 'sostenuto');
    this.soft = new PedalTrack(sorted, 'soft');
  }

  softAt(t: number): boolean {
    return this.soft.isDown(t);
  }

  /** When the damper of this note's string falls (Infinity for undamped strings or a pedal never released). */
  damperTime(note: PerformedNote): number {
    if (note.pitch >= FIRST_UNDAMPED_PITCH) return Infinity;
    return this.heldUntil(note);
  }

  /** When neither the key nor a pedal holds this note any more (Infinity if a pedal is never released). */
  heldUntil(note: PerformedNote): number {
    let t = note.offset;
    // Alternate between the two pedals until neither holds the damper up.
    for (let guard = 0; guard < 1000 && Number.isFinite(t); guard++) {
      if (this.sustain.isDown(t)) {
        t = this.sustain.nextUp(t);
        continue;
      }
      const sostenutoFrom = this.sostenuto.lastDown(t);
      if (sostenutoFrom >= note.onset && sostenutoFrom <= note.offset) {
        t = this.sostenuto.nextUp(t);
        continue;
      }
      break;
    }
    return t;
  }
}
