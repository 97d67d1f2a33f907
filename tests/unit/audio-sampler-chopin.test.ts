// Acceptance: the sampled grand renders a real ASAP performance (Chopin op. 10/3, 252 s, 1931 notes,
// continuous pedal) with the right length, normalises to −16 LUFS without overs, and its notes are
// audible where the MIDI puts them.
import { describe, expect, it } from 'vitest';
import { renderWithSampler, samplerTailSeconds } from '../../electron/audio/sampler';
import { normalizeLoudness } from '../../electron/audio/normalize';
import { integratedLoudness } from '../../electron/audio/loudness';
import { samplePeak } from '../../electron/audio/audio-data';
import { testdata } from '../support/shared-data';
import { performanceFromMidiFile } from '../support/midi-performance';
import { detectOnsets, onsetEvents } from '../support/onsets';

describe('sampled grand on Chopin_Etudes_op_10_3_SunMeiting08.mid', () => {
  it('renders the whole piece with correct length, loudness and onsets', { timeout: 240_000 }, async () => {
    const perf = performanceFromMidiFile(testdata('asap/Chopin_Etudes_op_10_3_SunMeiting08.mid'));
    const rate = 32000;
    const audio = await renderWithSampler(perf, { sampleRate: rate, channels: 1 });

    const lastNoteOff = Math.max(...perf.notes.map((n) => n.offset));
    const seconds = audio.channels[0]!.length / rate;
    expect(Math.abs(seconds - (lastNoteOff + samplerTailSeconds('dry')))).toBeLessThan(0.5);

    const normalized = normalizeLoudness(audio, { targetLufs: -16 });
    expect(Math.abs(integratedLoudness(normalized.audio) - -16)).toBeLessThan(0.5);
    expect(samplePeak(normalized.audio)).toBeLessThanOrEqual(1);
    expect(normalized.truePeakDb).toBeLessThanOrEqual(-1 + 0.05);

    const detected = detectOnsets(normalized.audio.channels[0]!, rate);
    const found = (t: number, shift = 0): boolean => detected.some((d) => Math.abs(d + shift - t) <= 0.03);
    const noteRecall = perf.notes.filter((n) => found(n.onset)).length / perf.notes.length;
    expect(noteRecall).toBeGreaterThanOrEqual(0.95);
    // The detector is not trivially permissive: not flooding detections, and a 60 ms timing error fails it.
    const events = onsetEvents(perf.notes.map((n) => n.onset));
    expect(detected.length).toBeLessThan(2.5 * events.length);
    const shiftedRecall = perf.notes.filter((n) => found(n.onset, 0.06)).length / perf.notes.length;
    expect(shiftedRecall).toBeLessThan(0.6);
  });
});
