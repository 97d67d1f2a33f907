// Audio benchmarks: sampler speed (× real time, one core), resampler and loudness meter speed.
// Run through `npm run bench` (the lead's runner imports run()) or directly: npx tsx bench/audio.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderWithSampler } from '../electron/audio/sampler/render';
import { resampleChannel } from '../electron/audio/resample';
import { integratedLoudness } from '../electron/audio/loudness';
import { truePeakDb } from '../electron/audio/true-peak';
import { normalizeLoudness } from '../electron/audio/normalize';
import { encodeAudio } from '../electron/audio/encode';
import { decodeAudio } from '../electron/audio/decode';
import { fitProfile, profileMatch } from '../electron/audio/match';
import { segmentPerformance } from '../electron/midi/segments';
import { performanceFromMidiBytes } from '../tests/support/midi-performance';
import { sharedDir } from '../tests/support/shared-data';

type Result = { name: string; value: number; unit: string; note?: string };

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export async function run(): Promise<Result[]> {
  const results: Result[] = [];
  const midi = join(sharedDir, 'testdata', 'asap', 'Chopin_Etudes_op_10_3_SunMeiting08.mid');
  const perf = performanceFromMidiBytes(new Uint8Array(readFileSync(midi)));
  // Warm the sample caches first so the timings measure mixing, not first-time decoding.
  const cold = await timed(() => renderWithSampler(perf, { sampleRate: 48000, channels: 2 }));
  results.push({
    name: 'sampler first render incl. sample loading (Chopin op.10/3, 48 kHz stereo)',
    value: cold.ms / 1000,
    unit: 's',
    note: 'disk cache may be warm from earlier runs',
  });
  const stereo = await timed(() => renderWithSampler(perf, { sampleRate: 48000, channels: 2 }));
  results.push({
    name: 'sampler speed, 48 kHz stereo dry',
    value: perf.duration / (stereo.ms / 1000),
    unit: '× real time',
    note: 'target ≥ 20×; one core',
  });
  const hall = await timed(() => renderWithSampler(perf, { sampleRate: 48000, channels: 2, room: 'hall' }));
  results.push({
    name: 'sampler speed, 48 kHz stereo hall reverb',
    value: perf.duration / (hall.ms / 1000),
    unit: '× real time',
  });
  // The performer match: fitting a profile to prompt A (what adding a performer costs), then the
  // same render played through it (issue 19's goal: at most 25 % slower than the plain grand).
  const promptDir = join(sharedDir, 'testdata', 'midi-valle');
  const promptAudio = await decodeAudio(readFileSync(join(promptDir, 'prompt_A.wav')), 'prompt_A.wav');
  const promptPerf = performanceFromMidiBytes(new Uint8Array(readFileSync(join(promptDir, 'prompt_A.midi'))));
  const fit = await timed(() =>
    fitProfile({ audio: promptAudio.channels[0]!, sampleRate: promptAudio.sampleRate, performance: promptPerf }),
  );
  results.push({ name: 'performer profile fit (prompt A)', value: fit.ms / 1000, unit: 's', note: 'target < 10 s' });
  const match = profileMatch(fit.value);
  await renderWithSampler(perf, { sampleRate: 48000, channels: 2, match, noteIndices: [0] }); // builds the filters
  const matched = await timed(() => renderWithSampler(perf, { sampleRate: 48000, channels: 2, match }));
  results.push({
    name: 'sampler speed, 48 kHz stereo matched to prompt A',
    value: perf.duration / (matched.ms / 1000),
    unit: '× real time',
    note: `${((matched.ms / stereo.ms - 1) * 100).toFixed(0)} % slower than dry; goal ≤ 25 %`,
  });
  // The studio renders segment by segment (each matched segment is filtered on its own, tail included).
  const segments = segmentPerformance(perf);
  const bySegment = (withMatch: boolean) =>
    timed(async () => {
      for (const s of segments)
        await renderWithSampler(perf, {
          sampleRate: 48000,
          channels: 2,
          noteIndices: s.noteIndices,
          from: s.start,
          ...(withMatch ? { match } : {}),
        });
    });
  const drySegments = await bySegment(false);
  const matchedSegments = await bySegment(true);
  results.push({
    name: `sampler, ${segments.length} segments one by one, 48 kHz stereo, matched to prompt A`,
    value: matchedSegments.ms / 1000,
    unit: 's',
    note: `dry ${(drySegments.ms / 1000).toFixed(2)} s: ${((matchedSegments.ms / drySegments.ms - 1) * 100).toFixed(0)} % slower; goal ≤ 25 %`,
  });
  await renderWithSampler(perf, { sampleRate: 32000, channels: 1 });
  const mono = await timed(() => renderWithSampler(perf, { sampleRate: 32000, channels: 1 }));
  results.push({
    name: 'sampler speed, 32 kHz mono dry',
    value: perf.duration / (mono.ms / 1000),
    unit: '× real time',
  });

  const minute = Float32Array.from({ length: 44100 * 60 }, (_, i) => Math.sin(i * 0.05) * 0.5);
  for (const quality of [5, 10] as const) {
    const r = await timed(() => resampleChannel(minute, 44100, 32000, { quality }));
    results.push({
      name: `resampler 44.1 → 32 kHz mono, speex q${quality}`,
      value: 60 / (r.ms / 1000),
      unit: '× real time',
    });
  }
  const audio = stereo.value;
  const seconds = audio.channels[0]!.length / audio.sampleRate;
  const loud = await timed(() => integratedLoudness(audio));
  results.push({
    name: 'BS.1770-4 integrated loudness, 48 kHz stereo',
    value: seconds / (loud.ms / 1000),
    unit: '× real time',
  });
  const tp = await timed(() => truePeakDb(audio));
  results.push({
    name: 'true peak (4× oversampling), 48 kHz stereo',
    value: seconds / (tp.ms / 1000),
    unit: '× real time',
  });
  const norm = await timed(() => normalizeLoudness(audio));
  results.push({
    name: 'normalise to −16 LUFS / −1 dBTP incl. limiter, 48 kHz stereo',
    value: seconds / (norm.ms / 1000),
    unit: '× real time',
  });
  const excerpt = { sampleRate: 48000, channels: audio.channels.map((c) => c.subarray(0, 48000 * 30)) };
  for (const format of ['flac', 'mp3'] as const) {
    const e = await timed(() => encodeAudio(excerpt, { format }));
    results.push({ name: `encode ${format}, 48 kHz stereo`, value: 30 / (e.ms / 1000), unit: '× real time' });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.value.toFixed(1)} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
}
