// What the engine process does with each request. One ONNX Runtime per process, one pack loaded at a
// time with its sessions kept warm. Heavy requests run one after another (session.run blocks the thread
// anyway); 'hello' and 'cancel' are answered at once, between two steps of a running generation.
import { StudioFailure, type Result, type StudioError } from '../../shared/failure';
import { encodeAudio, decodeCodes } from '../pipeline/codec';
import { generateSegments } from '../pipeline/generate';
import type { SegmentResult } from '../pipeline/types';
import {
  openPackSessions,
  releasePackSessions,
  withOnDemandSession,
  type PackSessions,
} from '../runtime/pack-sessions';
import { knownBackends } from '../runtime/providers';
import { ortVersion } from '../runtime/ort';
import {
  ENGINE_REQUEST_TYPES,
  type EngineRequestType,
  type HostMessage,
  type HostRequest,
  type LoadedPackInfo,
  type PayloadOf,
  type ValueOf,
} from '../protocol';

type Send = (message: HostMessage) => void;

export function toStudioError(error: unknown): StudioError {
  if (error instanceof StudioFailure) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'runtime', message: message.split('\n')[0]! };
}

function requirePayload<T>(payload: unknown, check: (p: Record<string, unknown>) => boolean, what: string): T {
  if (typeof payload !== 'object' || payload === null || !check(payload as Record<string, unknown>)) {
    throw new StudioFailure('invalid-argument', `engine request needs ${what}`);
  }
  return payload as T;
}

export class EngineHost {
  private loaded: PackSessions | null = null;
  private info: LoadedPackInfo | null = null;
  private preferencesKey = '';
  private queue: Promise<unknown> = Promise.resolve();
  /** Ids cancelled before or while running. */
  private readonly cancelled = new Set<number>();
  private readonly pending = new Set<number>();

  /**
   * `validatePack` runs before any session is created (the manifest/schema/sha256 checks of
   * electron/engine/pack/, e.g. `(dir) => loadPackManifest(dir, { verifyChecksums: false })`, with the
   * request's cache folder); it throws StudioFailure('bad-input', …) for an unusable pack.
   */
  constructor(
    private readonly send: Send,
    private readonly options: { validatePack?: (dir: string, cacheDir?: string) => Promise<unknown> } = {},
  ) {}

  /** Entry point for every incoming message; never throws. */
  receive(raw: unknown): void {
    const request = raw as Partial<HostRequest>;
    const id = typeof request?.id === 'number' ? request.id : -1;
    const reply = (result: Result<unknown>): void => this.send({ id, kind: 'result', result });
    if (id < 0 || !ENGINE_REQUEST_TYPES.includes(request.type as EngineRequestType)) {
      reply({
        ok: false,
        error: { code: 'invalid-argument', message: `unknown engine request ${String(request?.type)}` },
      });
      return;
    }
    const type = request.type as EngineRequestType;
    if (type === 'hello' || type === 'cancel') {
      this.run(id, type, request.payload).then(reply);
      return;
    }
    this.pending.add(id);
    this.queue = this.queue.then(() => this.run(id, type, request.payload).then(reply));
  }

  private async run(id: number, type: EngineRequestType, payload: unknown): Promise<Result<unknown>> {
    try {
      if (this.cancelled.has(id)) throw new StudioFailure('cancelled', 'cancelled before it started');
      return { ok: true, value: await this.dispatch(id, type, payload) };
    } catch (error) {
      return { ok: false, error: toStudioError(error) };
    } finally {
      this.pending.delete(id);
      this.cancelled.delete(id);
    }
  }

  private async dispatch(id: number, type: EngineRequestType, payload: unknown): Promise<unknown> {
    switch (type) {
      case 'hello':
        return {
          pid: process.pid,
          ortVersion: ortVersion(),
          backends: knownBackends(),
          loadedPack: this.info,
        } satisfies ValueOf<'hello'>;
      case 'cancel': {
        const { target } = requirePayload<PayloadOf<'cancel'>>(
          payload,
          (p) => typeof p.target === 'number',
          '{ target: number }',
        );
        const found = this.pending.has(target);
        if (found) this.cancelled.add(target);
        return { found } satisfies ValueOf<'cancel'>;
      }
      case 'load-pack':
        return this.loadPack(
          id,
          requirePayload(
            payload,
            (p) => typeof p.dir === 'string' && (p.cacheDir === undefined || typeof p.cacheDir === 'string'),
            '{ dir: string, cacheDir?: string }',
          ),
        );
      case 'unload':
        return this.unload();
      case 'encode-prompt': {
        const { samples, sampleRate } = requirePayload<PayloadOf<'encode-prompt'>>(
          payload,
          (p) => p.samples instanceof Float32Array && typeof p.sampleRate === 'number',
          '{ samples: Float32Array, sampleRate }',
        );
        const loaded = this.requireLoaded();
        if (sampleRate !== loaded.pack.dims.sampleRate) {
          throw new StudioFailure(
            'invalid-argument',
            `prompt audio must be ${loaded.pack.dims.sampleRate} Hz mono (got ${sampleRate} Hz); resample it first`,
          );
        }
        if (samples.length < loaded.pack.dims.hopLength)
          throw new StudioFailure('bad-input', 'prompt audio is shorter than one codec frame');
        return withOnDemandSession(loaded, (encoder) => encodeAudio(encoder, samples));
      }
      case 'decode': {
        const { codes } = requirePayload<PayloadOf<'decode'>>(
          payload,
          (p) => p.codes instanceof Int32Array,
          '{ codes: Int32Array }',
        );
        if (codes.length % 4 !== 0) throw new StudioFailure('invalid-argument', 'codes must be [frames, 4]');
        return {
          audio: await decodeCodes(this.requireLoaded().sessions.codecDecode, codes),
        } satisfies ValueOf<'decode'>;
      }
      case 'generate': {
        const request = requirePayload<PayloadOf<'generate'>>(
          payload,
          (p) => typeof p.prompt === 'object' && Array.isArray(p.segments) && typeof p.options === 'object',
          '{ prompt, segments, options }',
        );
        // Streamed results are sent once, as 'segment' messages; the reply carries only the others.
        const sent = new Set<SegmentResult>();
        const onSegment = (segment: SegmentResult): void => {
          this.send({ id, kind: 'segment', segment });
          sent.add(segment);
        };
        const results = await generateSegments(
          this.requireLoaded(),
          request.prompt,
          request.segments,
          request.options,
          {
            onProgress: (progress) => this.send({ id, kind: 'progress', progress }),
            checkCancelled: () => {
              if (this.cancelled.has(id)) throw new StudioFailure('cancelled', 'generation cancelled');
            },
            ...(request.streamSegments ? { onSegment } : {}),
          },
        );
        return results.filter((result) => !sent.has(result));
      }
    }
  }

  private requireLoaded(): PackSessions {
    if (!this.loaded) throw new StudioFailure('unavailable', 'no model pack is loaded in the engine; load one first');
    return this.loaded;
  }

  private async loadPack(id: number, payload: PayloadOf<'load-pack'>): Promise<LoadedPackInfo> {
    const preferencesKey = JSON.stringify(payload.preferences ?? {});
    if (this.info && this.info.dir === payload.dir && this.preferencesKey === preferencesKey) return this.info; // kept warm
    await this.options.validatePack?.(payload.dir, payload.cacheDir);
    await this.unload();
    const started = performance.now();
    const loaded = await openPackSessions(payload.dir, payload.preferences ?? {}, (graph, index, total) =>
      this.send({ id, kind: 'progress', progress: { graph, index, total } }),
    );
    this.loaded = loaded;
    this.preferencesKey = preferencesKey;
    this.info = {
      dir: payload.dir,
      id: loaded.pack.id,
      version: loaded.pack.version,
      dims: loaded.pack.dims,
      provider: loaded.providers.arDecoder,
      providers: { ...loaded.providers },
      attempts: loaded.attempts,
      threads: loaded.threads,
      loadMs: Math.round(performance.now() - started),
    };
    return this.info;
  }

  private async unload(): Promise<ValueOf<'unload'>> {
    const loaded = this.loaded;
    this.loaded = null;
    this.info = null;
    if (!loaded) return { released: false };
    await releasePackSessions(loaded);
    return { released: true };
  }
}
