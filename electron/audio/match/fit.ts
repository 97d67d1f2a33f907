// Fits a performer profile to a prompt: the dry grand plays the prompt's MIDI at the recording's
// timing, and tone, room and touch are chosen to minimise the log-mel distance between that matched
// render and the recording. The search runs on a power model of the render (per-note mel powers
// mixed by the touch gains, a per-band exponential reverb, then the tone curve) that costs a few
// milliseconds per trial; the distances reported are measured on real renders.
import type { Performance } from '../../shared/performance';
import { StudioFailure } from '../../shared/failure';
import { renderWithSampler } from '../sampler/render';
import type { RoomPreset } from '../sampler/reverb';
import { measureAlignment, onsetEnvelope } from './align';
import { interpolateBands, interpolationMatrix, OCTAVE_CENTRES, THIRD_OCTAVE_CENTRES } from './bands';
import {
  distanceToReference,
  logMelDistance,
  melCentres,
  melConfig,
  melReference,
  melSpectrogram,
  renderDb,
  toDb,
} from './mel';
import {
  neutralProfile,
  profileMatch,
  PROFILE_FORMAT,
  PROFILE_LIMITS,
  TOUCH_VELOCITIES,
  type PerformerProfile,
} from './profile';
import { solveSmooth } from './solve';

export interface FitInput {
  /** The prompt recording, mono. */
  audio: Float32Array;
  sampleRate: number;
  /** The prompt's MIDI, at the recording's timing. */
  performance: Performance;
  /** How the performer sounds unmatched (its room preset): the profile must beat it to be used. */
  room?: RoomPreset;
  signal?: AbortSignal;
}

interface Params {
  touch: number[]; // dB at TOUCH_VELOCITIES
  wetDb: number;
  decayLog2: number[]; // log2 seconds per octave band
  tone: number[]; // dB per third-octave band
}

const fitPad = (x: Float32Array, length: number): Float32Array => {
  if (x.length === length) return x;
  const out = new Float32Array(length);
  out.set(x.subarray(0, length));
  return out;
};

/** Smoothness of the tone curve against closeness to the per-band residual (larger: smoother). */
const TONE_SMOOTHING = 2;
/** How long before the prompt's first note the comparison starts (a hammer's noise precedes its onset). */
const LEAD_SECONDS = 0.02;

/**
 * Where a prompt's recording and its MIDI can be compared: from just before the first note. The
 * window a prompt is cut from often opens inside earlier notes (still ringing, or noise before the
 * playing), whose MIDI is not part of the prompt; no profile of the grand could or should match them.
 */
export function comparisonStart(performance: Performance): number {
  const first = performance.notes.reduce((t, n) => Math.min(t, n.onset), Infinity);
  return Number.isFinite(first) ? Math.max(0, first - LEAD_SECONDS) : 0;
}
const DECAY_SMOOTHING = 0.05;

export async function fitProfile(input: FitInput): Promise<PerformerProfile> {
  const started = Date.now();
  const { sampleRate, performance } = input;
  if (performance.notes.length === 0) throw new StudioFailure('bad-input', 'the prompt MIDI has no notes to fit');
  const length = input.audio.length;
  const config = melConfig(sampleRate);
  const frames = Math.ceil(length / config.hop);
  const bands = config.bands;
  const cells = frames * bands;
  const recording = melSpectrogram(input.audio, config).power;
  const cancelled = () => {
    if (input.signal?.aborted) throw new StudioFailure('cancelled', 'fitting the performer profile was cancelled');
  };

  // The dry grand, whole and note by note (the sampler is linear: the notes sum to the whole).
  const dry = fitPad((await renderWithSampler(performance, { sampleRate, channels: 1 })).channels[0]!, length);
  const dryPower = melSpectrogram(dry, config).power;
  const dryDb = toDb(dryPower);
  const notePowers: Float64Array[] = [];
  for (let i = 0; i < performance.notes.length; i++) {
    cancelled();
    const one = await renderWithSampler(performance, { sampleRate, channels: 1, noteIndices: [i], from: 0 });
    notePowers.push(melSpectrogram(fitPad(one.channels[0]!, length), config).power);
  }
  const velocities = performance.notes.map((n) => n.velocity);
  const alignment = measureAlignment(
    onsetEnvelope(toDb(recording), frames, bands),
    onsetEnvelope(dryDb, frames, bands),
    config.hop / sampleRate,
  );

  const centres = melCentres(config);
  const from = comparisonStart(performance);
  const firstFrame = Math.min(frames - 1, Math.floor((from * sampleRate) / config.hop));
  const compared = frames - firstFrame;
  const reference = melReference(recording, frames, bands, firstFrame);
  let plainPower = 0;
  for (const power of notePowers) for (let i = firstFrame * bands; i < cells; i++) plainPower += power[i]!;
  const toneRows = interpolationMatrix(THIRD_OCTAVE_CENTRES, centres);
  const hopSeconds = config.hop / sampleRate;
  const mixed = new Float64Array(cells);
  const summed = new Float64Array(cells);
  const model = new Float64Array(cells);
  let mixedFor = '';

  /** Model power spectrogram of the matched render for these parameters. */
  const modelPower = (p: Params): Float64Array => {
    const key = p.touch.join(',');
    if (key !== mixedFor) {
      // The real dry mix plus each note's change: exact at even touch (where notes' partials that
      // meet interfere, a sum of note powers is not the mix's power), a sum of powers for the change.
      mixed.set(dryPower);
      summed.fill(0);
      const touch = { velocities: [...TOUCH_VELOCITIES], gainsDb: p.touch };
      notePowers.forEach((power, n) => {
        const g = 10 ** (interpolateBands(touch.velocities, touch.gainsDb, velocities[n]!) / 10);
        for (let i = 0; i < cells; i++) {
          mixed[i]! += (g - 1) * power[i]!;
          summed[i]! += g * power[i]!;
        }
      });
      for (let i = 0; i < cells; i++) mixed[i] = Math.max(mixed[i]!, 0.1 * summed[i]!);
      mixedFor = key;
    }
    const wet = 10 ** (p.wetDb / 10);
    const decays = p.decayLog2.map((d) => 2 ** d);
    for (let b = 0; b < bands; b++) {
      const t60 = interpolateBands(OCTAVE_CENTRES, decays, centres[b]!);
      const a = Math.exp((-6 * Math.LN10 * hopSeconds) / t60); // energy falls 60 dB in t60
      const tone = 10 ** (interpolateBands(THIRD_OCTAVE_CENTRES, p.tone, centres[b]!) / 10);
      let tail = 0;
      for (let t = 0; t < frames; t++) {
        const i = t * bands + b;
        tail = a * tail + (1 - a) * mixed[i]!;
        model[i] = tone * (mixed[i]! + wet * tail);
      }
    }
    return model;
  };
  const cost = (p: Params): number => {
    let penalty = 0;
    for (let i = 1; i < p.decayLog2.length; i++) penalty += (p.decayLog2[i]! - p.decayLog2[i - 1]!) ** 2;
    return distanceToReference(reference, modelPower(p)) + DECAY_SMOOTHING * penalty;
  };

  /** Pattern search on one number: steps shrink from `step` until `minStep`. */
  const search = (p: Params, get: () => number, set: (v: number) => void, lo: number, hi: number, step: number) => {
    let best = cost(p);
    for (let s = step; s >= step / 8; s /= 2) {
      for (let improved = true; improved;) {
        improved = false;
        for (const dir of [1, -1]) {
          const old = get();
          const next = Math.min(hi, Math.max(lo, old + dir * s));
          if (next === old) continue;
          set(next);
          const c = cost(p);
          if (c < best - 1e-6) {
            best = c;
            improved = true;
            break;
          }
          set(old);
        }
      }
    }
  };

  /**
   * The tone curve that best explains the mean residual per mel band, smoothed over third-octaves.
   * The noise floor makes the residual under-state what a band needs, so it is refined a few times.
   */
  const fitTone = (p: Params): void => {
    for (let pass = 0; pass < 3; pass++) {
      const db = renderDb(reference, modelPower(p));
      const residual = new Float64Array(bands);
      for (let b = 0; b < bands; b++) {
        let sum = 0;
        for (let t = firstFrame; t < frames; t++) sum += reference.db[t * bands + b]! - db[t * bands + b]!;
        residual[b] = sum / compared;
      }
      const delta = solveSmooth(toneRows, residual, TONE_SMOOTHING);
      const gains = p.tone.map((g, i) => g + delta[i]!);
      // Level is not the tone's business: the matched render keeps the plain grand's power.
      const unToned = modelPower({ ...p, tone: p.tone.map(() => 0) });
      let toned = 0;
      for (let b = 0; b < bands; b++) {
        let sum = 0;
        for (let t = firstFrame; t < frames; t++) sum += unToned[t * bands + b]!;
        toned += sum * 10 ** (interpolateBands(THIRD_OCTAVE_CENTRES, gains, centres[b]!) / 10);
      }
      const shift = 10 * Math.log10(plainPower / toned);
      const next = gains.map((g) => Math.max(-PROFILE_LIMITS.toneDb, Math.min(PROFILE_LIMITS.toneDb, g + shift)));
      const before = cost(p);
      const old = p.tone;
      p.tone = next;
      if (cost(p) > before) {
        p.tone = old;
        return;
      }
    }
  };

  const neutral = neutralProfile();
  const p: Params = {
    touch: TOUCH_VELOCITIES.map(() => 0),
    wetDb: -20,
    decayLog2: OCTAVE_CENTRES.map(() => Math.log2(0.8)),
    tone: THIRD_OCTAVE_CENTRES.map(() => 0),
  };
  const [minDecay, maxDecay] = PROFILE_LIMITS.decaySeconds.map(Math.log2) as [number, number];
  for (let round = 0; round < 3; round++) {
    cancelled();
    fitTone(p);
    TOUCH_VELOCITIES.forEach((v, k) => {
      if (v === 64) return;
      search(
        p,
        () => p.touch[k]!,
        (x) => (p.touch[k] = x),
        -PROFILE_LIMITS.touchDb,
        PROFILE_LIMITS.touchDb,
        4,
      );
    });
    search(
      p,
      () => p.wetDb,
      (x) => (p.wetDb = x),
      -40,
      PROFILE_LIMITS.wetDb[1],
      4,
    );
    OCTAVE_CENTRES.forEach((_, k) => {
      search(
        p,
        () => p.decayLog2[k]!,
        (x) => (p.decayLog2[k] = x),
        minDecay,
        maxDecay,
        1,
      );
    });
  }
  fitTone(p);

  const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
  const sound = {
    format: PROFILE_FORMAT,
    tone: { centres: neutral.tone.centres.map((c) => round(c, 1)), gainsDb: p.tone.map((g) => round(g)) },
    room: {
      centres: neutral.room.centres.map((c) => round(c, 1)),
      decaySeconds: p.decayLog2.map((d) => round(2 ** d, 3)),
      wetDb: round(p.wetDb),
      preDelayMs: neutral.room.preDelayMs,
    },
    touch: { velocities: [...TOUCH_VELOCITIES], gainsDb: p.touch.map((g) => round(g)) },
  };
  // The distances that count are measured on real renders, not on the model the search used. The
  // model treats the reverb as adding power; on sustained partials a real tail also interferes with
  // the direct sound, so the wet level is settled on real renders of the prompt among a few choices.
  const distanceOf = async (profile: typeof sound): Promise<number> => {
    cancelled();
    const matched = await renderWithSampler(performance, { sampleRate, channels: 1, match: profileMatch(profile) });
    return logMelDistance(fitPad(matched.channels[0]!, length), input.audio, sampleRate, from);
  };
  const unmatched =
    (input.room ?? 'dry') === 'dry'
      ? dry
      : fitPad(
          (await renderWithSampler(performance, { sampleRate, channels: 1, room: input.room })).channels[0]!,
          length,
        );
  const before = logMelDistance(unmatched, input.audio, sampleRate, from);
  let best = sound;
  let after = Infinity;
  for (const drop of [0, 3, 6, 12, Infinity]) {
    const wetDb = drop === Infinity ? neutral.room.wetDb : Math.max(neutral.room.wetDb, sound.room.wetDb - drop);
    const candidate = { ...sound, room: { ...sound.room, wetDb } };
    const d = await distanceOf(candidate);
    if (d < after) [best, after] = [candidate, d];
    if (drop === Infinity || wetDb <= neutral.room.wetDb) break;
  }
  // The tone corrected once or twice on the real render: what the power model got wrong per band
  // (interference, the real tail) shows in the real residual, and a smooth correction of it is kept
  // only when the real distance falls.
  for (let pass = 0; pass < 2; pass++) {
    cancelled();
    const rendered = await renderWithSampler(performance, { sampleRate, channels: 1, match: profileMatch(best) });
    const db = renderDb(reference, melSpectrogram(fitPad(rendered.channels[0]!, length), config).power);
    const residual = new Float64Array(bands);
    let mean = 0;
    for (let b = 0; b < bands; b++) {
      let sum = 0;
      for (let t = firstFrame; t < frames; t++) sum += reference.db[t * bands + b]! - db[t * bands + b]!;
      residual[b] = sum / compared;
      mean += residual[b]! / bands;
    }
    for (let b = 0; b < bands; b++) residual[b]! -= mean;
    const delta = solveSmooth(toneRows, residual, TONE_SMOOTHING);
    const gainsDb = best.tone.gainsDb.map((g, i) =>
      round(Math.max(-PROFILE_LIMITS.toneDb, Math.min(PROFILE_LIMITS.toneDb, g + delta[i]!))),
    );
    const candidate = { ...best, tone: { ...best.tone, gainsDb } };
    const d = await distanceOf(candidate);
    if (d >= after) break;
    [best, after] = [candidate, d];
  }
  // A fit that does not bring the grand closer at all is not used: the profile is the plain grand's,
  // which renders keep playing with the performer's room preset.
  const useful = after < before;
  const plain = {
    ...sound,
    tone: { ...sound.tone, gainsDb: sound.tone.gainsDb.map(() => 0) },
    room: { ...sound.room, decaySeconds: neutral.room.decaySeconds, wetDb: neutral.room.wetDb },
    touch: { ...sound.touch, gainsDb: sound.touch.gainsDb.map(() => 0) },
  };
  return {
    ...(useful ? best : plain),
    fit: {
      sampleRate,
      fromSeconds: round(from, 3),
      distanceBeforeDb: round(before, 3),
      distanceAfterDb: round(useful ? after : before, 3),
      seconds: round((Date.now() - started) / 1000),
    },
    alignment,
  };
}
