// Time to first audio of a whole piece on the neural engine, from nothing running: a new engine process,
// the pack loaded (recorded as verified, as after its first launch), the performer's prompt encoded (never
// encoded with this pack before: the codec encoder opens for it), the piece's first musical segment
// tokenised and generated (AR + NAR + codec) at batch 1 — what the studio does between Render and the first
// take it can play. The piece is a real 5.5-minute performance (ASAP: Beethoven op. 27/2 iii, Meek03), the
// prompt the official prompt B.
//
// Random weights never choose end-of-audio by themselves, so the segment is decoded greedily and stopped at
// its own length (seconds × 50 frames), as a trained model ends it; the real model's segments also end
// near their last note.
import { readFileSync } from 'node:fs';
import { loadModelAudio } from '../../electron/audio';
import { EngineClient } from '../../electron/engine/client/engine-client';
import { buildModelTokens, importMidi, segmentNotes, segmentPerformance } from '../../electron/midi';
import { testdata } from '../../tests/support/shared-data';

export interface FirstAudio {
  totalMs: number;
  readyMs: number;
  promptMs: number;
  segmentMs: number;
  segmentSeconds: number;
  pieceSeconds: number;
  segments: number;
}

const PIECE = 'asap/Beethoven_Piano_Sonatas_14-3_Meek03.mid';
const PROMPT = 'midi-valle/prompt_B';

export async function firstAudio(packDir: string, cacheDir: string): Promise<FirstAudio> {
  const piece = importMidi(readFileSync(testdata(PIECE)), 'piece.mid').performance;
  const segments = segmentPerformance(piece, 'musical');
  const promptNotes = importMidi(readFileSync(testdata(`${PROMPT}.midi`)), 'prompt.midi').performance;
  const promptWav = readFileSync(testdata(`${PROMPT}.wav`));
  const first = segments[0]!;
  const segmentSeconds = first.end - first.start;

  const started = performance.now();
  const client = EngineClient.fork({ stderr: 'ignore' });
  try {
    await client.loadPack(packDir, undefined, { cacheDir });
    const readyMs = performance.now() - started;
    const audio = await loadModelAudio(promptWav, 'prompt_B.wav');
    const prompt = await client.encodePrompt(audio.channels[0]!, audio.sampleRate);
    const promptMs = performance.now() - started - readyMs;
    const tokens = buildModelTokens(promptNotes, segmentNotes(piece, first, { pedal: 'ignore' }));
    const frames = Math.ceil(segmentSeconds * 50);
    const [result] = await client.generate(
      prompt,
      [{ tokens: tokens.data, rows: tokens.rows, seed: 1, expectedFrames: frames }],
      { sampling: { temperature: 1, greedy: true }, maxFrames: frames },
    );
    if (!result || result.audio.length === 0) throw new Error('the first segment came back without audio');
    const totalMs = performance.now() - started;
    return {
      totalMs,
      readyMs,
      promptMs,
      segmentMs: totalMs - readyMs - promptMs,
      segmentSeconds,
      pieceSeconds: piece.duration,
      segments: segments.length,
    };
  } finally {
    client.close();
  }
}
