// The official pipeline never tokenizes notes directly: it writes them to a MIDI file with pretty_midi
// (120 BPM, 220 ticks per quarter) and reads that file back with symusic (or pretty_midi). Rounding to
// ticks, the writer's event order and the readers' note pairing all change the notes in corner cases
// (two notes of one pitch overlapping, notes shorter than one tick), so they are simulated here on plain
// integer arrays instead of writing files. References: midi-valle-data.md §1.3 step 1, §2.4, §3.2.

/** pretty_midi's seconds per tick for a new file: 60 / (120 BPM · 220 ticks per quarter). */
export const PM_SECONDS_PER_TICK = 60 / (120 * 220);
export const PM_TICKS_PER_QUARTER = 220;

/** Notes on an integer tick grid, struct-of-arrays so that 100k+ notes stay cheap. */
export interface TickNotes {
  count: number;
  pitch: Int32Array;
  velocity: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** For notes read from events: index of each note's note-on in that event list (gives the order for free). */
  onEvent?: Int32Array;
}

export function allocTickNotes(capacity: number): TickNotes {
  return {
    count: 0,
    pitch: new Int32Array(capacity),
    velocity: new Int32Array(capacity),
    start: new Int32Array(capacity),
    end: new Int32Array(capacity),
  };
}

function pushNote(into: TickNotes, pitch: number, velocity: number, start: number, end: number): void {
  const i = into.count++;
  into.pitch[i] = pitch;
  into.velocity[i] = velocity;
  into.start[i] = start;
  into.end[i] = end;
}

/** numpy/Python round(): to nearest, ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** pretty_midi's time_to_tick for a file at 120 BPM / 220 tpq (times beyond the tick table take this formula). */
export function pmTick(seconds: number): number {
  return roundHalfEven(seconds / PM_SECONDS_PER_TICK);
}

export interface SecondsNote {
  pitch: number;
  velocity: number;
  onset: number;
  offset: number;
}

/** Start and end ticks computed independently, as pretty_midi does when it writes each note. */
export function secondsToPmTicks(notes: readonly SecondsNote[], shiftSeconds = 0): TickNotes {
  const out = allocTickNotes(notes.length);
  for (const n of notes) {
    pushNote(out, n.pitch, n.velocity, pmTick(n.onset + shiftSeconds), pmTick(n.offset + shiftSeconds));
  }
  return out;
}

/**
 * The note events of a pretty_midi-written file, in file order. pretty_midi writes each note as a
 * note-on and a velocity-0 note-on and sorts them by tick, then pitch, then velocity, so at one tick a
 * note-off precedes a note-on of the same pitch. Events that tie on all three are interchangeable, so a
 * plain numeric sort of packed keys reproduces the order exactly.
 * Packed key: tick · 2^16 + pitch · 2^8 + velocity (velocity 0 = note-off).
 */
export function pmWriteEvents(notes: TickNotes): Float64Array {
  const n = notes.count;
  const ons = new Float64Array(n);
  const offs = new Float64Array(n);
  let onsSorted = true;
  for (let i = 0; i < n; i++) {
    const p = notes.pitch[i]! * 256;
    ons[i] = notes.start[i]! * 65536 + p + notes.velocity[i]!;
    offs[i] = notes.end[i]! * 65536 + p;
    if (i > 0 && ons[i]! < ons[i - 1]!) onsSorted = false;
  }
  // Notes usually arrive sorted by onset, so the note-ons are too; only the note-offs need a sort.
  if (!onsSorted) ons.sort();
  offs.sort();
  const events = new Float64Array(2 * n);
  let a = 0;
  let b = 0;
  for (let e = 0; e < 2 * n; e++) events[e] = b >= n || (a < n && ons[a]! <= offs[b]!) ? ons[a++]! : offs[b++]!;
  return events;
}

const decodeTick = (key: number) => Math.floor(key / 65536);
const decodePitch = (key: number) => Math.floor(key / 256) % 256;
const decodeVelocity = (key: number) => key % 256;

/**
 * symusic 0.4.5 reading: per pitch a FIFO of note-ons; a note-off closes the oldest open note only if it
 * is strictly later than that note's start, else it is ignored; notes never closed are discarded.
 * Notes come out in the order they are closed; symusicOrder then orders them.
 */
export function symusicRead(events: Float64Array): TickNotes {
  const out = allocTickNotes(events.length >> 1);
  const onEvent = new Int32Array(events.length >> 1);
  // One FIFO per pitch as a linked list through the event indices: no allocation per note.
  const next = new Int32Array(events.length);
  const head = new Int32Array(128).fill(-1);
  const tail = new Int32Array(128).fill(-1);
  for (let e = 0; e < events.length; e++) {
    const key = events[e]!;
    const tick = Math.floor(key / 65536);
    const low = key - tick * 65536;
    const pitch = low >> 8;
    if ((low & 255) > 0) {
      next[e] = -1;
      if (tail[pitch]! >= 0) next[tail[pitch]!] = e;
      else head[pitch] = e;
      tail[pitch] = e;
      continue;
    }
    const front = head[pitch]!;
    if (front < 0) continue;
    const frontKey = events[front]!;
    const startTick = Math.floor(frontKey / 65536);
    if (tick <= startTick) continue; // symusic ignores an off that is not after the oldest open on
    onEvent[out.count] = front;
    pushNote(out, pitch, frontKey % 256, startTick, tick);
    head[pitch] = next[front]!;
    if (head[pitch]! < 0) tail[pitch] = -1;
  }
  out.onEvent = onEvent;
  return out;
}

/**
 * pretty_midi 0.2.10 reading: a note-off closes every open note of that pitch that started at another
 * tick; notes that started at the off's own tick stay open only if something else was closed, otherwise
 * they are discarded together with the off.
 */
export function prettyMidiRead(events: Float64Array): TickNotes {
  const out = allocTickNotes(events.length >> 1);
  const open: number[][] = Array.from({ length: 128 }, () => []);
  for (let e = 0; e < events.length; e++) {
    const key = events[e]!;
    const tick = decodeTick(key);
    const pitch = decodePitch(key);
    const velocity = decodeVelocity(key);
    const notes = open[pitch]!;
    if (velocity > 0) {
      notes.push(tick * 256 + velocity);
      continue;
    }
    if (notes.length === 0) continue;
    const keep: number[] = [];
    let closed = 0;
    for (const packed of notes) {
      const startTick = Math.floor(packed / 256);
      if (startTick === tick) keep.push(packed);
      else {
        pushNote(out, pitch, packed % 256, startTick, tick);
        closed++;
      }
    }
    open[pitch] = closed > 0 && keep.length > 0 ? keep : [];
  }
  return out;
}

/** Merges several note sets into one (one instrument, as seg_midi and concat_midi_files do). */
export function concatTickNotes(parts: TickNotes[]): TickNotes {
  const out = allocTickNotes(parts.reduce((n, p) => n + p.count, 0));
  for (const part of parts) {
    out.pitch.set(part.pitch.subarray(0, part.count), out.count);
    out.velocity.set(part.velocity.subarray(0, part.count), out.count);
    out.start.set(part.start.subarray(0, part.count), out.count);
    out.end.set(part.end.subarray(0, part.count), out.count);
    out.count += part.count;
  }
  return out;
}

/**
 * symusic's note order: stable sort by (start, pitch, duration). Returns the permutation. Notes read by
 * symusicRead know where their note-on was, which makes this linear (orderByNoteOn).
 */
export function symusicOrder(notes: TickNotes): Uint32Array {
  if (notes.onEvent) return orderByNoteOn(notes, notes.onEvent);
  const order = Uint32Array.from({ length: notes.count }, (_, i) => i);
  const duration = (i: number) => notes.end[i]! - notes.start[i]!;
  return order.sort(
    (a, b) =>
      notes.start[a]! - notes.start[b]! || notes.pitch[a]! - notes.pitch[b]! || duration(a) - duration(b) || a - b,
  );
}

/**
 * Notes read from a sorted event list: ordering them by the position of their note-on is a linear
 * scatter and already gives (start, pitch) order; runs of equal (start, pitch) are then re-sorted by
 * duration, keeping emission order among equals, which is symusic's stable sort.
 */
function orderByNoteOn(notes: TickNotes, onEvent: Int32Array): Uint32Array {
  const n = notes.count;
  let slots = 0;
  for (let i = 0; i < n; i++) slots = Math.max(slots, onEvent[i]! + 1);
  const slot = new Int32Array(slots).fill(-1);
  for (let i = 0; i < n; i++) slot[onEvent[i]!] = i;
  const order = new Uint32Array(n);
  let k = 0;
  for (let s = 0; s < slots; s++) if (slot[s]! >= 0) order[k++] = slot[s]!;
  const same = (x: number, y: number) => notes.start[x] === notes.start[y] && notes.pitch[x] === notes.pitch[y];
  for (let r = 1; r < n; r++) {
    if (!same(order[r]!, order[r - 1]!)) continue;
    let end = r + 1;
    while (end < n && same(order[end]!, order[r - 1]!)) end++;
    const run = Array.from(order.subarray(r - 1, end));
    run.sort((a, b) => notes.end[a]! - notes.start[a]! - (notes.end[b]! - notes.start[b]!) || a - b);
    order.set(run, r - 1);
    r = end - 1;
  }
  return order;
}
