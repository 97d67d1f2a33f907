// The engine host process through EngineClient (child_process.fork + tsx): the protocol, errors as
// values, provider reporting, segments streamed before the reply, cancellation within a step, survival
// after bad requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../electron/engine/client/engine-client';
import type { EngineTransport } from '../../electron/engine/client/transport';
import type { HostRequest } from '../../electron/engine/protocol';
import type { PromptCodes, SegmentInput, SegmentResult } from '../../electron/engine/pipeline/types';
import { hasTinyPack, promptA, tinyPackDir, truncatedTokens } from '../support/engine-pack';

describe('engine host process', () => {
  let client: EngineClient;
  beforeAll(() => {
    client = EngineClient.fork();
  });
  afterAll(() => client?.close());

  it('answers hello with its pid and ONNX Runtime build', async () => {
    const hello = await client.hello();
    expect(hello.pid).not.toBe(process.pid);
    expect(hello.ortVersion).toMatch(/^1\.\d+/);
    expect(hello.backends.map((b) => b.name)).toContain('cpu');
    expect(hello.loadedPack).toBeNull();
  });

  it('answers bad requests with error values and keeps serving', async () => {
    await expect(
      client.generate({ codes: new Int32Array(4), frames: 1 }, [], { sampling: { temperature: 1 } }),
    ).rejects.toMatchObject({ code: 'unavailable' });
    await expect(client.loadPack('/nonexistent/pack')).rejects.toMatchObject({ code: 'not-found' });
    // A malformed message straight through the transport (no id, unknown type).
    const transport = (client as unknown as { transport: { send(r: unknown): void } }).transport;
    transport.send({ type: 'explode' } as unknown as HostRequest);
    transport.send({ id: 10_000, type: 'decode', payload: { codes: 'not an array' } } as unknown as HostRequest);
    expect((await client.hello()).pid).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasTinyPack)('engine host process with the tiny pack', () => {
  let client: EngineClient;
  let prompt: PromptCodes;
  let segment: SegmentInput;
  beforeAll(async () => {
    client = EngineClient.fork();
    const a = promptA();
    segment = { ...truncatedTokens(a.tokens, 20), seed: 5 };
    const info = await client.loadPack(tinyPackDir, { threads: 2 });
    expect(info.provider).toBeDefined();
    prompt = await client.encodePrompt(a.audio.subarray(0, 16000), a.sampleRate);
  });
  afterAll(() => client?.close());

  it('reports the provider actually used (cpu here) and every provider it tried', async () => {
    const info = (await client.hello()).loadedPack!;
    expect(info.provider).toBe('cpu');
    expect(Object.values(info.providers).every((p) => p === 'cpu')).toBe(true);
    expect(info.attempts.at(-1)).toEqual({ provider: 'cpu', ok: true });
    if (process.platform === 'linux') {
      expect(info.attempts[0]).toMatchObject({ provider: 'cuda', ok: false });
      expect(info.attempts[0]!.error).toMatch(/CUDA|cuda|shared library/);
    }
    // Asking for CUDA alone has nothing to fall back to: an error value, and the host stays up.
    const other = EngineClient.fork();
    try {
      await expect(other.loadPack(tinyPackDir, { providers: ['cuda'] })).rejects.toMatchObject({ code: 'runtime' });
      expect((await other.hello()).loadedPack).toBeNull();
    } finally {
      other.close();
    }
  });

  it('generates through the protocol: typed arrays arrive intact and decode() reproduces the audio', async () => {
    const progress: number[] = [];
    const [result] = await client.generate(
      prompt,
      [segment],
      { sampling: { temperature: 1 }, maxFrames: 30 },
      { onProgress: (p) => progress.push(p.segmentsDone) },
    );
    expect(result!.codes).toBeInstanceOf(Int32Array);
    expect(result!.audio).toBeInstanceOf(Float32Array);
    expect(result!.audio.length).toBe(result!.frames * 640);
    expect(progress.length).toBeGreaterThan(0);
    const audio = await client.decode(result!.codes);
    expect(Array.from(audio)).toEqual(Array.from(result!.audio));
    const again = await client.regenerate(prompt, segment, { sampling: { temperature: 1 }, maxFrames: 30 });
    expect(Array.from(again.codes)).toEqual(Array.from(result!.codes));
  });

  it('streams each segment of a batch before the final reply, in request order, and sends its audio once', async () => {
    const a = promptA();
    // Longest first: the batch's row-count order would hand them back the other way round.
    const segments = [26, 20, 14].map((rows, i) => ({ ...truncatedTokens(a.tokens, rows), seed: 21 + i }));
    const options = { sampling: { temperature: 1 }, maxFrames: 30, batchSize: 3 };
    const transport = (client as unknown as { transport: EngineTransport }).transport;
    const replies: unknown[] = [];
    let listening = true;
    transport.onMessage((message) => listening && message.kind === 'result' && replies.push(message.result));
    const streamed: SegmentResult[] = [];
    let streamedAtReply = -1;
    const results = await client
      .generate(prompt, segments, options, { onSegment: (result) => streamed.push(result) })
      .then((all) => {
        streamedAtReply = streamed.length;
        return all;
      });
    listening = false;
    expect(streamedAtReply).toBe(3);
    expect(streamed.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(results).toEqual(streamed);
    expect(replies).toEqual([{ ok: true, value: [] }]); // the audio crossed once, in the 'segment' messages
    // The same request without streaming: the very same audio, whole in the reply.
    const plain = await client.generate(prompt, segments, options);
    for (const [i, result] of results.entries()) {
      expect(result.audio.length).toBeGreaterThan(0);
      expect(Buffer.from(result.audio.buffer).equals(Buffer.from(plain[i]!.audio.buffer))).toBe(true);
      expect(Array.from(result.codes)).toEqual(Array.from(plain[i]!.codes));
    }
  });

  it('cancel takes effect within a step, and the next request runs normally', async () => {
    const controller = new AbortController();
    let stepsAfterAbort = 0;
    let aborted = false;
    // Full recompute over a long cap: seconds of work if not cancelled.
    const running = client.generate(
      prompt,
      [{ ...segment, rows: segment.rows }],
      { sampling: { temperature: 1 }, mode: 'full-recompute' },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (aborted) stepsAfterAbort++;
          if (p.phase === 'ar' && (p.frames[0] ?? 0) > 0 && !aborted) {
            aborted = true;
            controller.abort();
          }
        },
      },
    );
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(aborted).toBe(true);
    expect(stepsAfterAbort).toBeLessThanOrEqual(1);
    const [next] = await client.generate(prompt, [segment], { sampling: { temperature: 1 }, maxFrames: 5 });
    expect(next!.frames).toBeGreaterThan(0);
  });

  it('unload releases the pack; later generation asks for a pack again', async () => {
    expect(await client.unload()).toBe(true);
    expect((await client.hello()).loadedPack).toBeNull();
    await expect(client.generate(prompt, [segment], { sampling: { temperature: 1 } })).rejects.toMatchObject({
      code: 'unavailable',
    });
  });
});
