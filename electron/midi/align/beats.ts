// The beat grid of a reference: from its MIDI file's own bars and beats (time signatures and tempo map,
// which a score MIDI has and a recorded performance usually has only nominally), or from a beat list
// the user gives (e.g. ASAP's *_annotations.txt).
import { StudioFailure } from '../../shared/failure';
import { readSmf, TempoMap } from '../smf';

export interface BeatGrid {
  /** Reference seconds of each beat, increasing. */
  times: number[];
  /** Bar number of each beat, from 1 (a pickup bar counts as bar 1 too). */
  bars: number[];
  /** Position of each beat in its bar, from 1. */
  beatInBar: number[];
}

/** Without a tempo map (SMPTE files) there are no musical beats: a 120-BPM 4/4 grid is used. */
const FALLBACK_BEAT = 0.5;
const FALLBACK_METER = 4;

/**
 * Beats of a MIDI file up to `until` seconds: one beat per time-signature denominator note (a quarter in
 * 4/4, an eighth in 6/8), bars of `numerator` beats starting at each time-signature change.
 */
export function midiBeats(bytes: Uint8Array, fileName: string, until: number): BeatGrid {
  const smf = readSmf(bytes, fileName);
  const grid: BeatGrid = { times: [], bars: [], beatInBar: [] };
  if (!smf.ticksPerQuarter) {
    for (let k = 0; k * FALLBACK_BEAT <= until; k++) {
      grid.times.push(k * FALLBACK_BEAT);
      grid.bars.push(Math.floor(k / FALLBACK_METER) + 1);
      grid.beatInBar.push((k % FALLBACK_METER) + 1);
    }
    return grid;
  }
  const tempo = new TempoMap(smf);
  const meters: Array<{ tick: number; numerator: number; denominator: number }> = [];
  for (const track of smf.tracks) {
    let tick = 0;
    for (const event of track) {
      tick += event.deltaTime;
      if (event.type === 'timeSignature' && event.numerator > 0 && event.denominator > 0) {
        meters.push({ tick, numerator: event.numerator, denominator: event.denominator });
      }
    }
  }
  meters.sort((a, b) => a.tick - b.tick);
  if (!meters.length || meters[0]!.tick > 0) meters.unshift({ tick: 0, numerator: 4, denominator: 4 });
  // the last of several time signatures at one tick wins
  const distinct = meters.filter((m, k) => k === meters.length - 1 || meters[k + 1]!.tick !== m.tick);
  let bar = 0;
  for (let s = 0; s < distinct.length; s++) {
    const { tick: start, numerator, denominator } = distinct[s]!;
    const next = distinct[s + 1]?.tick ?? Infinity;
    const beatTicks = (smf.ticksPerQuarter * 4) / denominator;
    for (let k = 0; ; k++) {
      const tick = start + k * beatTicks;
      if (tick >= next) break;
      const time = tempo.toSeconds(tick);
      if (time > until) return grid;
      if (k % numerator === 0) bar++;
      grid.times.push(time);
      grid.bars.push(bar);
      grid.beatInBar.push((k % numerator) + 1);
    }
  }
  return grid;
}

/**
 * A beat list as text: one beat a line, its time in seconds first (tab, comma or space separated);
 * a later field starting with "db" marks a downbeat (ASAP's annotation format). Without any downbeat
 * mark, every beat is its own bar.
 */
export function parseBeatList(text: string, fileName: string): BeatGrid {
  const grid: BeatGrid = { times: [], bars: [], beatInBar: [] };
  const downbeats: boolean[] = [];
  text.split(/\r?\n/).forEach((line, k) => {
    const fields = line.trim().split(/[\t, ]+/);
    if (!fields[0]) return;
    const time = Number(fields[0]);
    if (!Number.isFinite(time) || time < 0) {
      throw new StudioFailure('bad-input', `${fileName}: line ${k + 1} does not start with a time in seconds`);
    }
    if (grid.times.length && time <= grid.times.at(-1)!) {
      throw new StudioFailure('bad-input', `${fileName}: line ${k + 1}: beat times must increase`);
    }
    grid.times.push(time);
    downbeats.push(fields.slice(1).some((f) => f.startsWith('db')));
  });
  if (grid.times.length < 2) throw new StudioFailure('bad-input', `${fileName}: needs at least two beats`);
  const marked = downbeats.some(Boolean);
  let bar = 0;
  let inBar = 0;
  downbeats.forEach((db, k) => {
    if (k === 0 || db || !marked) {
      bar++;
      inBar = 0;
    }
    grid.bars.push(bar);
    grid.beatInBar.push(++inBar);
  });
  return grid;
}
