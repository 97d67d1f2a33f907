// Generation over the real graphs of the tiny pack, in process: KV cache vs the official full recompute,
// determinism per seed, batching, the frame cap. Random weights make noise, but noise that must be
// reproducible token for token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSegments, officialFrameCap } from '../../electron/engine/pipeline/generate';
import { releasePackSessions, type PackSessions } from '../../electron/engine/runtime/pack-sessions';
import type { PromptCodes, SegmentInput } from '../../electron/engine/pipeline/types';
import { arWholePass } from '../../electron/engine/pipeline/ar-graphs';
import { asFloat32, int64Tensor } from '../../electron/engine/pipeline/tensors';
import { mulberry32 } from '../../electron/engine/sampling/prng';
import { sampleToken } from '../../electron/engine/sampling/sampler';
import { hasTinyPack, openTinyRun } from '../support/engine-pack';

describe.skipIf(!hasTinyPack)('engine pipeline on the tiny pack', () => {
  let loaded: PackSessions;
  let prompt: PromptCodes;
  let long: SegmentInput;
  let short: SegmentInput;

  beforeAll(async () => {
    ({ loaded, prompt, long, short } = await openTinyRun());
  });
  afterAll(async () => loaded && releasePackSessions(loaded));

  it('encodes 1 s of prompt audio to 50 frames of 4 codes in range', () => {
    expect(prompt.frames).toBe(50);
    expect(prompt.codes.length).toBe(200);
    expect(prompt.codes.every((c) => c >= 0 && c < 2048)).toBe(true);
  });

  it('KV-cache greedy tokens equal full-recompute greedy tokens', async () => {
    const options = { sampling: { temperature: 1, greedy: true }, maxFrames: 60 };
    const [cached] = await generateSegments(loaded, prompt, [long], options);
    const [full] = await generateSegments(loaded, prompt, [long], { ...options, mode: 'full-recompute' });
    expect(cached!.frames).toBeGreaterThan(0);
    expect(Array.from(cached!.codes)).toEqual(Array.from(full!.codes));
    expect(cached!.stopReason).toBe(full!.stopReason);
  });

  it('hands each segment back through onSegment as soon as it is decoded, the same object as the result', async () => {
    const options = { sampling: { temperature: 1, greedy: true }, maxFrames: 20, batchSize: 1 };
    const handed: Array<{ index: number; resultsSoFar: number }> = [];
    const seen: unknown[] = [];
    const results = await generateSegments(loaded, prompt, [long, short], options, {
      onSegment: (result) => {
        handed.push({ index: result.index, resultsSoFar: seen.length });
        seen.push(result);
      },
    });
    // planBatches runs the shorter segment first; it is handed back before the second batch starts.
    expect(handed.map((h) => h.index)).toEqual([1, 0]);
    expect(seen[0]).toBe(results[1]);
    expect(seen[1]).toBe(results[0]);
    expect((seen[0] as { audio: Float32Array }).audio.length).toBeGreaterThan(0);
  });

  it('KV-cache sampled tokens equal full-recompute sampled tokens for the same seed', async () => {
    // The plain loop: speculative decoding (the tiny pack has a draft) draws its own way from the same
    // distribution (engine-speculative.test.ts).
    const options = { sampling: { temperature: 1, topK: 50 }, maxFrames: 60, speculative: false };
    const [cached] = await generateSegments(loaded, prompt, [short], options);
    const [full] = await generateSegments(loaded, prompt, [short], { ...options, mode: 'full-recompute' });
    expect(Array.from(cached!.codes)).toEqual(Array.from(full!.codes));
  });

  it('same seed twice gives identical audio bytes; another seed gives other audio', async () => {
    const options = { sampling: { temperature: 1 }, maxFrames: 40 };
    const [first] = await generateSegments(loaded, prompt, [short], options);
    const [second] = await generateSegments(loaded, prompt, [short], options);
    const [other] = await generateSegments(loaded, prompt, [{ ...short, seed: 99 }], options);
    expect(first!.audio.length).toBe(first!.frames * 640);
    expect(Buffer.from(second!.audio.buffer).equals(Buffer.from(first!.audio.buffer))).toBe(true);
    expect(Buffer.from(other!.audio.buffer).equals(Buffer.from(first!.audio.buffer))).toBe(false);
  });

  it('a batch of 2 (different lengths, padded) equals two single runs, and hands them back in request order', async () => {
    const options = { sampling: { temperature: 1 }, maxFrames: 40 };
    const handed: number[] = [];
    const events: string[] = [];
    const batched = await generateSegments(
      loaded,
      prompt,
      [long, short],
      { ...options, batchSize: 2 },
      {
        onSegment: (result) => {
          handed.push(result.index);
          events.push(`segment ${result.index}`);
        },
        onProgress: (p) => {
          if (p.phase !== 'ar' && events.at(-1) !== p.phase) events.push(p.phase);
        },
      },
    );
    // Singles decoded plainly too: with a draft, batch 1 would sample speculatively (docs/engine.md).
    const single = await generateSegments(loaded, prompt, [long, short], {
      ...options,
      batchSize: 1,
      speculative: false,
    });
    expect(batched.map((r) => r.index)).toEqual([0, 1]);
    expect(handed).toEqual([0, 1]); // the longer first, as asked: a caller storing in order need not wait
    // The first row is finished (NAR, decode) and handed back before the second row's NAR starts.
    expect(events).toEqual(['embed', 'nar', 'decode', 'segment 0', 'nar', 'decode', 'segment 1']);
    for (let i = 0; i < 2; i++) {
      expect(Array.from(batched[i]!.codes), `segment ${i} codes`).toEqual(Array.from(single[i]!.codes));
      expect(Array.from(batched[i]!.audio), `segment ${i} audio`).toEqual(Array.from(single[i]!.audio));
    }
  });

  it('rows that stop early leave the batch and the others continue unchanged', async () => {
    // A 2-row segment stops at its cap of 33 frames; the others run to 70 after it left the cache.
    const stub: SegmentInput = { tokens: new Int32Array([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]), rows: 2, seed: 3 };
    const options = { sampling: { temperature: 1, greedy: true }, maxFrames: 70 };
    const segments = [long, stub, short];
    const batched = await generateSegments(loaded, prompt, segments, { ...options, batchSize: 3 });
    const single = await generateSegments(loaded, prompt, segments, { ...options, batchSize: 1 });
    expect(batched[1]!.frames).toBeLessThan(batched[0]!.frames);
    for (let i = 0; i < 3; i++) {
      expect(Array.from(batched[i]!.codes), `segment ${i} codes`).toEqual(Array.from(single[i]!.codes));
      expect(Array.from(batched[i]!.audio), `segment ${i} audio`).toEqual(Array.from(single[i]!.audio));
    }
  });

  it('stops at the official cap of 16 · rows + 1 frames when no EOS comes', async () => {
    // A 2-row segment (BOS, EOS) has a cap of 33 frames; greedy random weights rarely pick EOS.
    const tiny: SegmentInput = { tokens: new Int32Array([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]), rows: 2, seed: 1 };
    const [result] = await generateSegments(loaded, prompt, [tiny], { sampling: { temperature: 1, greedy: true } });
    expect(officialFrameCap(2)).toBe(33);
    if (result!.stopReason === 'cap') {
      expect(result!.frames).toBe(33);
      expect(result!.warnings.join()).toMatch(/cap/);
    } else {
      expect(result!.frames).toBeLessThan(33);
    }
  });

  it('EOS at the very first step gives an empty segment with a warning, not a crash', async () => {
    // Find a seed whose first draw lands on EOS for this input (≈ 1 seed in 2049 at temperature 1).
    const S = short.rows;
    const embedded = await loaded.sessions.midiEmbed.run({ tokens: int64Tensor(short.tokens, [1, S, 6]) });
    const q0 = Array.from({ length: prompt.frames }, (_, f) => prompt.codes[f * 4]!);
    const { dims } = loaded.pack;
    const { logits } = await arWholePass(
      { embed: loaded.sessions.arEmbed, decoder: loaded.sessions.arDecoder },
      { layers: dims.arLayers, heads: dims.heads, headDim: dims.headDim, logitRows: loaded.pack.arLogitRows },
      { xa: asFloat32(embedded.xa, 'xa'), S, dModel: dims.dModel, midiRows: [S] },
      q0,
      prompt.frames,
    );
    let seed = 0;
    while (sampleToken(logits, { temperature: 1 }, mulberry32(seed)) !== 2048) seed++;
    const [result] = await generateSegments(loaded, prompt, [{ ...short, seed }], { sampling: { temperature: 1 } });
    expect(result!.stopReason).toBe('eos-first-step');
    expect(result!.frames).toBe(0);
    expect(result!.audio.length).toBe(0);
    expect(result!.warnings.join()).toMatch(/first step/);
  });

  it('reports progress with segment counts and an ETA, and rejects bad input as values', async () => {
    const seen: string[] = [];
    await generateSegments(
      loaded,
      prompt,
      [short],
      { sampling: { temperature: 1 }, maxFrames: 20 },
      {
        onProgress: (p) => seen.push(`${p.phase}:${p.segmentsDone}/${p.totalSegments}`),
      },
    );
    expect(seen[0]).toBe('embed:0/1');
    expect(seen).toContain('nar:0/1');
    await expect(
      generateSegments(loaded, prompt, [{ ...short, seed: -1 }], { sampling: { temperature: 1 } }),
    ).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(generateSegments(loaded, prompt, [short], { sampling: { temperature: 0 } })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
  });
});
