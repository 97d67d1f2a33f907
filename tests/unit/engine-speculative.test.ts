// Speculative decoding over the tiny pack's real graphs (its fp32 decoder and its int8 draft decoder):
// greedy decoding must give the very frames of the plain loop — any slip in the caches' bookkeeping (a
// frame fed twice, a stale slot left open, a position off by one) changes them — and sampled decoding must
// be reproducible per seed, stop where the plain loop's rules say, and honour cancellation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSegments } from '../../electron/engine/pipeline/generate';
import { DRAFT_FRAMES, PROBE_ROUNDS } from '../../electron/engine/pipeline/speculative';
import { releasePackSessions, type PackSessions } from '../../electron/engine/runtime/pack-sessions';
import type { PromptCodes, SegmentInput } from '../../electron/engine/pipeline/types';
import type { OrtSession } from '../../electron/engine/runtime/ort';
import { hasTinyPack, openTinyRun } from '../support/engine-pack';
import { StudioFailure } from '../../electron/shared/failure';
import { failure } from '../support/studio-failure';

const GREEDY = { temperature: 1, greedy: true };

describe.skipIf(!hasTinyPack)('speculative decoding on the tiny pack', () => {
  let loaded: PackSessions;
  let prompt: PromptCodes;
  let long: SegmentInput;
  let short: SegmentInput;

  beforeAll(async () => {
    ({ loaded, prompt, long, short } = await openTinyRun());
  });
  afterAll(async () => loaded && releasePackSessions(loaded));

  /**
   * The pack with its draft decoder opened through `wrap`; `opened` counts sessions opened and released (the
   * engine opens the draft for each single-segment AR and releases it before the NAR and codec).
   */
  function withDraft(wrap: (draft: OrtSession) => OrtSession) {
    const opened = { open: 0, released: 0 };
    const pack: PackSessions = {
      ...loaded,
      openDraft: async () => {
        const draft = await loaded.openDraft!();
        opened.open++;
        const wrapped = wrap(draft);
        return {
          run: (feeds: Parameters<OrtSession['run']>[0]) => wrapped.run(feeds),
          release: async () => {
            opened.released++;
            await draft.release();
          },
        } as unknown as OrtSession;
      },
    };
    return { pack, opened };
  }

  /**
   * The pack's draft with its best frame struck out on every fourth call (a quarter of proposals rejected, not enough to drop it), seen
   * through `then`.
   */
  function poorDraft(then: (session: OrtSession) => OrtSession = (session) => session): PackSessions {
    let calls = 0;
    return withDraft((draft) =>
      then({
        run: async (feeds: Parameters<typeof draft.run>[0]) => {
          const out = await draft.run(feeds);
          if (calls++ % 4 === 3) {
            const logits = out.logits!.data as Float32Array;
            const V = 2049;
            for (let row = 0; row < logits.length / V; row++) {
              let best = row * V;
              for (let i = row * V; i < (row + 1) * V; i++) if (logits[i]! > logits[best]!) best = i;
              logits[best] = -1e9;
            }
          }
          return out;
        },
        release: () => draft.release(),
      } as unknown as OrtSession),
    ).pack;
  }

  it('the tiny pack has a draft decoder, opened for each single-segment AR and released after it', async () => {
    expect(loaded.openDraft).toBeDefined();
    expect(loaded.pack.arLogitRows).toBe('all');
    const { pack, opened } = withDraft((draft) => draft);
    const options = { sampling: GREEDY, maxFrames: 10, skipDecode: true };
    await generateSegments(pack, prompt, [long, short], options);
    expect(opened).toEqual({ open: 2, released: 2 });
    await generateSegments(pack, prompt, [long, short], { ...options, batchSize: 2 });
    expect(opened).toEqual({ open: 2, released: 2 }); // a batch of two decodes plainly
  });

  it('greedy: the same frames and audio as the plain loop, with most proposals kept', async () => {
    const options = { sampling: GREEDY, maxFrames: 150 };
    for (const segment of [long, short]) {
      const [fast] = await generateSegments(loaded, prompt, [segment], options);
      const [plain] = await generateSegments(loaded, prompt, [segment], { ...options, speculative: false });
      expect(fast!.frames).toBeGreaterThan(20);
      expect(Array.from(fast!.codes)).toEqual(Array.from(plain!.codes));
      expect(Array.from(fast!.audio)).toEqual(Array.from(plain!.audio));
      expect(fast!.stopReason).toBe(plain!.stopReason);
      expect(plain!.drafted).toBeUndefined();
      const { proposed, accepted } = fast!.drafted!;
      expect(proposed).toBeGreaterThan(fast!.frames / DRAFT_FRAMES - 1);
      expect(accepted).toBeLessThanOrEqual(proposed);
      expect(accepted / proposed).toBeGreaterThan(0.5);
    }
  });

  it('greedy with a poor draft (its best frame struck out on every fourth call): still the plain frames', async () => {
    // Many rejections exercise what rarely happens with a good draft: truncating both caches mid-round and
    // re-feeding the draft two frames; a stale cache slot or a position off by one changes the frames.
    const poor = poorDraft();
    const options = { sampling: GREEDY, maxFrames: 120, skipDecode: true };
    const [plain] = await generateSegments(loaded, prompt, [long], { ...options, speculative: false });
    const [fast] = await generateSegments(poor, prompt, [long], options);
    const [good] = await generateSegments(loaded, prompt, [long], options);
    expect(Array.from(fast!.codes)).toEqual(Array.from(plain!.codes));
    expect(fast!.drafted!.accepted / fast!.drafted!.proposed).toBeLessThan(
      good!.drafted!.accepted / good!.drafted!.proposed - 0.1,
    );
  });

  it('a draft that keeps proving wrong is dropped: the row finishes with plain steps, the same frames', async () => {
    // Every draft call's best frame struck out: greedy proposals are never the fp32 argmax.
    const wrong = withDraft(
      (draft) =>
        ({
          run: async (feeds: Parameters<OrtSession['run']>[0]) => {
            const out = await draft.run(feeds);
            const logits = out.logits!.data as Float32Array;
            let best = 0;
            for (let i = 0; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
            logits[best] = -1e9;
            return out;
          },
        }) as unknown as OrtSession,
    ).pack;
    const options = { sampling: GREEDY, maxFrames: 120, skipDecode: true };
    const [plain] = await generateSegments(loaded, prompt, [long], { ...options, speculative: false });
    const [fast] = await generateSegments(wrong, prompt, [long], options);
    expect(Array.from(fast!.codes)).toEqual(Array.from(plain!.codes));
    expect(fast!.drafted!.accepted).toBe(0);
    expect(fast!.drafted!.proposed).toBe(PROBE_ROUNDS * DRAFT_FRAMES); // then no more proposals
  });

  it('each frame a decoder scores attends exactly the slots the plain loop attends for it', async () => {
    // A decoder's input row (a frame's embedding at its position) identifies the frame; for each frame scored
    // in both runs, the number of open mask entries must agree — for the fp32 decoder, where a stale slot left
    // by a rejected proposal, or a frame cached twice, would change the output even where the tiny model's
    // argmax does not show it, and for the draft, whose cache must mirror the fp32 decoder's (else it proposes
    // worse frames: slower, never wrong).
    const record = (session: OrtSession, visible: Map<string, number[]>): OrtSession =>
      ({
        run: async (feeds: Parameters<OrtSession['run']>[0]) => {
          const [, T, D] = feeds.x!.dims as number[];
          const x = feeds.x!.data as Float32Array;
          const mask = feeds.mask!.data as Float32Array;
          const width = mask.length / T!;
          for (let t = 0; t < T!; t++) {
            const key = Array.from(x.subarray(t * D!, (t + 1) * D!)).join(',');
            let open = 0;
            for (let k = t * width; k < (t + 1) * width; k++) if (mask[k] === 0) open++;
            visible.set(key, [...(visible.get(key) ?? []), open]);
          }
          return session.run(feeds);
        },
        release: () => session.release(),
      }) as unknown as OrtSession;
    const plainVisible = new Map<string, number[]>();
    const fastVisible = new Map<string, number[]>();
    const draftVisible = new Map<string, number[]>();
    const options = { sampling: GREEDY, maxFrames: 100, skipDecode: true };
    const recorded = (visible: Map<string, number[]>) => {
      const pack = poorDraft((draft) => record(draft, draftVisible));
      return { ...pack, sessions: { ...pack.sessions, arDecoder: record(loaded.sessions.arDecoder, visible) } };
    };
    await generateSegments(recorded(plainVisible), prompt, [long], { ...options, speculative: false });
    draftVisible.clear();
    const [fast] = await generateSegments(recorded(fastVisible), prompt, [long], options);
    expect(fast!.drafted!.proposed).toBeGreaterThan(fast!.drafted!.accepted); // some rejections happened
    for (const [name, seen, least] of [
      ['fp32 decoder', fastVisible, 95],
      ['draft', draftVisible, 60],
    ] as const) {
      let compared = 0;
      for (const [key, opens] of seen) {
        const plain = plainVisible.get(key);
        if (!plain) continue; // a rejected proposal: scored, never part of the plain run
        expect(new Set([...opens, ...plain]).size, name).toBe(1);
        compared++;
      }
      expect(compared, name).toBeGreaterThan(least);
    }
  });

  it('greedy: every frame cap, including caps inside a round of proposals, stops where the plain loop stops', async () => {
    for (const maxFrames of [1, 2, DRAFT_FRAMES, DRAFT_FRAMES + 1, 2 * DRAFT_FRAMES + 3]) {
      const options = { sampling: GREEDY, maxFrames };
      const [fast] = await generateSegments(loaded, prompt, [short], { ...options, skipDecode: true });
      const [plain] = await generateSegments(loaded, prompt, [short], {
        ...options,
        skipDecode: true,
        speculative: false,
      });
      expect(fast!.frames, `maxFrames ${maxFrames}`).toBe(maxFrames);
      expect(fast!.stopReason).toBe('max-frames');
      expect(Array.from(fast!.codes), `maxFrames ${maxFrames}`).toEqual(Array.from(plain!.codes));
    }
  });

  it('sampled: the same seed gives the same frames, another seed others; codes in range', async () => {
    const options = { sampling: { temperature: 1, topK: 50 }, maxFrames: 80, skipDecode: true };
    const [first] = await generateSegments(loaded, prompt, [short], options);
    const [again] = await generateSegments(loaded, prompt, [short], options);
    const [other] = await generateSegments(loaded, prompt, [{ ...short, seed: 99 }], options);
    expect(first!.drafted!.proposed).toBeGreaterThan(0);
    expect(Array.from(again!.codes)).toEqual(Array.from(first!.codes));
    expect(Array.from(other!.codes)).not.toEqual(Array.from(first!.codes));
    expect(first!.frames).toBeLessThanOrEqual(80);
    expect(first!.codes.every((c) => c >= 0 && c < 2048)).toBe(true);
  });

  it('a batch of several segments decodes plainly (speculation is for one row)', async () => {
    const options = { sampling: GREEDY, maxFrames: 30, batchSize: 2, skipDecode: true };
    const results = await generateSegments(loaded, prompt, [long, short], options);
    expect(results.every((r) => r.drafted === undefined)).toBe(true);
    const single = await generateSegments(loaded, prompt, [long, short], { ...options, batchSize: 1 });
    for (let i = 0; i < 2; i++) expect(Array.from(single[i]!.codes)).toEqual(Array.from(results[i]!.codes));
  });

  it('cancelling between rounds ends the generation with a cancelled failure', async () => {
    let steps = 0;
    const error = await failure(
      generateSegments(
        loaded,
        prompt,
        [long],
        { sampling: GREEDY, maxFrames: 150 },
        {
          checkCancelled: () => {
            if (++steps > 5) throw new StudioFailure('cancelled', 'cancelled by the test');
          },
        },
      ),
    );
    expect(error.message).toContain('cancelled by the test');
    expect(steps).toBeLessThan(10);
  });
});
