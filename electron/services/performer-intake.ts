import { StudioFailure } from '../contract';
import { durationSeconds, encodeAudio, loadModelAudio, MODEL_SAMPLE_RATE } from '../audio';
import type { NewPerformer } from '../library';
import { importMidi, writeMidi } from '../midi';

/** The prompt MIDI-VALLE continues from: 3 s of a recording with the notes played in it. */
export const PROMPT_SECONDS = 3;
/** Recordings up to this long default to their first 3 s; longer ones need an explicit window. */
const AUTO_WINDOW_MAX_SECONDS = 30;
/** A window quieter than this (RMS, dBFS) holds no playing to learn from. */
const SILENCE_RMS_DB = -50;
/** MIDI may outlast its audio by this much (release, rounding) before they are judged a mismatch. */
const MIDI_OVERHANG_SECONDS = 1;

export interface PromptMaterial {
  audio: { bytes: Uint8Array; fileName: string };
  midi: { bytes: Uint8Array; fileName: string };
  start?: number;
}

const fmt = (s: number): string =>
  s >= 60 ? `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}` : `${s.toFixed(2)} s`;

function rmsDb(samples: Float32Array): number {
  let sum = 0;
  for (const x of samples) sum += x * x;
  return samples.length ? 10 * Math.log10(sum / samples.length + 1e-20) : -Infinity;
}

/**
 * Checks a recording and its MIDI and cuts the 3-s prompt out of both. Every rejection is one line
 * that says what is wrong and what to do; nothing is stored until this succeeds.
 */
export async function preparePrompt(
  material: PromptMaterial,
): Promise<Pick<NewPerformer, 'promptAudio' | 'promptMidi'>> {
  const audio = await loadModelAudio(material.audio.bytes, material.audio.fileName);
  const duration = durationSeconds(audio);
  if (duration < PROMPT_SECONDS) {
    throw new StudioFailure(
      'bad-input',
      `${material.audio.fileName} lasts ${fmt(duration)}; a performer prompt needs at least ${PROMPT_SECONDS} s of playing`,
    );
  }
  if (material.start === undefined && duration > AUTO_WINDOW_MAX_SECONDS) {
    throw new StudioFailure(
      'bad-input',
      `${material.audio.fileName} lasts ${fmt(duration)}; choose which 3 s to use with --start SECONDS (or pick the window on its waveform)`,
    );
  }
  const start = material.start ?? 0;
  if (start + PROMPT_SECONDS > duration + 1e-6) {
    throw new StudioFailure(
      'bad-input',
      `the 3-s window from ${fmt(start)} runs past the end of ${material.audio.fileName} (${fmt(duration)}); choose an earlier --start`,
    );
  }
  const from = Math.round(start * MODEL_SAMPLE_RATE);
  const window = audio.channels[0]!.slice(from, from + PROMPT_SECONDS * MODEL_SAMPLE_RATE);
  if (rmsDb(window) < SILENCE_RMS_DB) {
    throw new StudioFailure(
      'bad-input',
      `the 3-s window from ${fmt(start)} of ${material.audio.fileName} is silent; choose a window where the piano plays`,
    );
  }

  const { performance } = importMidi(material.midi.bytes, material.midi.fileName);
  if (performance.duration > duration + MIDI_OVERHANG_SECONDS) {
    throw new StudioFailure(
      'bad-input',
      `${material.midi.fileName} lasts ${fmt(performance.duration)} but ${material.audio.fileName} only ${fmt(duration)}: they are not the same performance`,
    );
  }
  const end = start + PROMPT_SECONDS;
  const notes = performance.notes
    .filter((n) => n.onset >= start && n.onset < end)
    .map((n) => ({ ...n, onset: n.onset - start, offset: Math.min(n.offset, end) - start }));
  if (notes.length === 0) {
    throw new StudioFailure(
      'bad-input',
      `${material.midi.fileName} has no notes between ${fmt(start)} and ${fmt(end)}; the MIDI must be of the same recording`,
    );
  }
  const pedals = performance.pedals
    .filter((p) => p.time >= start && p.time < end)
    .map((p) => ({ ...p, time: p.time - start }));
  const promptAudio = { sampleRate: MODEL_SAMPLE_RATE, channels: [window] };
  return {
    promptAudio: {
      bytes: await encodeAudio(promptAudio, { format: 'wav', bitDepth: 32, sampleRate: MODEL_SAMPLE_RATE }),
      format: 'wav',
      sampleRate: MODEL_SAMPLE_RATE,
      channels: 1,
      duration: PROMPT_SECONDS,
    },
    promptMidi: writeMidi(notes, pedals),
  };
}
