// The services' handle on the engine: promise-returning methods over the host protocol, progress
// callbacks, AbortSignal cancellation. Failures reject with StudioFailure(code, message) — the value the
// host sent, rebuilt on this side (the services' own convention).
import { StudioFailure, type StudioError } from '../../shared/failure';
import type { ProviderPreferences } from '../runtime/providers';
import type { GenerateOptions, GenerateProgress, PromptCodes, SegmentInput, SegmentResult } from '../pipeline/types';
import type {
  EngineHello,
  EngineRequestType,
  HostMessage,
  LoadedPackInfo,
  LoadPackProgress,
  PayloadOf,
  ProgressOf,
  ValueOf,
} from '../protocol';
import { forkTransport, type EngineTransport, type ForkOptions } from './transport';

export interface CallOptions<P> {
  onProgress?: (progress: P) => void;
  /** Aborting sends 'cancel' to the host; the call then rejects with StudioFailure('cancelled'). */
  signal?: AbortSignal;
}

/** `generate`'s call options: `onSegment` gets each segment as soon as its audio exists, before the call ends. */
export interface GenerateCallOptions extends CallOptions<GenerateProgress> {
  onSegment?: (result: SegmentResult) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: StudioFailure) => void;
  onProgress?: (progress: unknown) => void;
  onSegment?: (segment: SegmentResult) => void;
}

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exited: StudioError | null = null;
  private readonly exitListeners: Array<(code: number | null) => void> = [];

  constructor(private readonly transport: EngineTransport) {
    transport.onMessage((message) => this.receive(message));
    transport.onExit((code) => {
      this.exited = {
        code: 'runtime',
        message: `the engine process exited (code ${code ?? 'signal'}); restart the engine`,
      };
      for (const [, call] of this.pending) call.reject(new StudioFailure(this.exited.code, this.exited.message));
      this.pending.clear();
      for (const listener of this.exitListeners) listener(code);
    });
  }

  /** Start a host with child_process.fork (CLI, browser host, tests). */
  static fork(options: ForkOptions = {}): EngineClient {
    return new EngineClient(forkTransport(options));
  }

  /** Called when the host process ends (crash or close); pending calls have already been rejected. */
  onExit(listener: (code: number | null) => void): void {
    this.exitListeners.push(listener);
  }

  hello(): Promise<EngineHello> {
    return this.call('hello', {});
  }

  /**
   * Create the pack's sessions (kept warm until unload or another pack); reports the provider actually used.
   * `cacheDir` (the studio's engine cache) lets a later engine process skip re-hashing an unchanged pack.
   */
  loadPack(
    dir: string,
    preferences?: ProviderPreferences,
    options: CallOptions<LoadPackProgress> & { cacheDir?: string } = {},
  ): Promise<LoadedPackInfo> {
    const { cacheDir, ...call } = options;
    return this.call(
      'load-pack',
      { dir, ...(preferences ? { preferences } : {}), ...(cacheDir ? { cacheDir } : {}) },
      call,
    );
  }

  /**
   * Performer prompt audio (mono, pack sample rate) → codes [frames, 4]. Encode once per performer and
   * pack and cache the result: every segment of every render reuses it.
   */
  encodePrompt(samples: Float32Array, sampleRate: number): Promise<PromptCodes> {
    return this.call('encode-prompt', { samples, sampleRate });
  }

  /**
   * Render segments (any number; batched per options.batchSize). Results are in request order. With
   * `onSegment`, each result is handed over as soon as its audio exists (segments of a batch in request
   * order) and crosses the process boundary only then: the host's reply leaves out what it streamed.
   */
  async generate(
    prompt: PromptCodes,
    segments: SegmentInput[],
    options: GenerateOptions,
    callOptions: GenerateCallOptions = {},
  ): Promise<SegmentResult[]> {
    const { onSegment, ...call } = callOptions;
    if (!onSegment) return this.call('generate', { prompt, segments, options }, call);
    const streamed: SegmentResult[] = [];
    const rest = await this.call(
      'generate',
      { prompt, segments, options, streamSegments: true },
      {
        ...call,
        onSegment: (segment) => {
          streamed.push(segment);
          onSegment(segment);
        },
      },
    );
    const results: SegmentResult[] = new Array(segments.length);
    for (const result of [...streamed, ...rest]) results[result.index] = result;
    if (results.filter(Boolean).length !== segments.length)
      throw new StudioFailure('runtime', 'the engine did not return every segment it was asked for');
    return results;
  }

  /** Re-render one segment with a new (or given) seed; same seed + inputs reproduce the same audio. */
  async regenerate(
    prompt: PromptCodes,
    segment: SegmentInput,
    options: GenerateOptions,
    callOptions: CallOptions<GenerateProgress> = {},
  ): Promise<SegmentResult> {
    const [result] = await this.generate(prompt, [segment], { ...options, batchSize: 1 }, callOptions);
    return result!;
  }

  /** Codes [frames, 4] → 32 kHz audio. */
  async decode(codes: Int32Array): Promise<Float32Array> {
    return (await this.call('decode', { codes })).audio;
  }

  /** Release the pack's sessions (memory back to the OS as far as ORT allows). */
  async unload(): Promise<boolean> {
    return (await this.call('unload', {})).released;
  }

  /** End the host process; pending calls reject. */
  close(): void {
    this.transport.kill();
  }

  private call<T extends EngineRequestType>(
    type: T,
    payload: PayloadOf<T>,
    options: CallOptions<ProgressOf<T>> & Pick<GenerateCallOptions, 'onSegment'> = {},
  ): Promise<ValueOf<T>> {
    if (this.exited) return Promise.reject(new StudioFailure(this.exited.code, this.exited.message));
    if (options.signal?.aborted) return Promise.reject(new StudioFailure('cancelled', `${type} cancelled`));
    const id = this.nextId++;
    return new Promise<ValueOf<T>>((resolve, reject) => {
      const onAbort = (): void => {
        this.transport.send({ id: this.nextId++, type: 'cancel', payload: { target: id } });
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = (): void => options.signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (value) => {
          cleanup();
          resolve(value as ValueOf<T>);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
        onProgress: options.onProgress as ((progress: unknown) => void) | undefined,
        onSegment: options.onSegment,
      });
      this.transport.send({ id, type, payload });
    });
  }

  private receive(message: HostMessage): void {
    if (message.kind === 'log') return;
    const call = this.pending.get(message.id);
    if (!call) return; // e.g. the reply to a fire-and-forget 'cancel'
    if (message.kind === 'progress') {
      call.onProgress?.(message.progress);
      return;
    }
    if (message.kind === 'segment') {
      call.onSegment?.(message.segment);
      return;
    }
    this.pending.delete(message.id);
    if (message.result.ok) call.resolve(message.result.value);
    else call.reject(new StudioFailure(message.result.error.code, message.result.error.message));
  }
}
