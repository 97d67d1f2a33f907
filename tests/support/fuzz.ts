// A small mutation fuzzer shared by the hardening tests and scripts/fuzz-long.ts. Every input comes
// from a seeded PRNG, so a failure replays from its (target, seed, iteration) triple. The contract a
// target must keep for EVERY input: return normally, or throw a StudioFailure with one non-empty
// line; never another exception type, never a hang (each call is timed and raced against a timeout).
import { StudioFailure } from '../../electron/shared/failure';
import { mulberry32 } from '../../electron/shared/mulberry32';

/** Seeded uniform stream driving the mutations reproducibly. */
export const prng = (seed: number): (() => number) => mulberry32(seed).uniform;

export type Rng = () => number;
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;

/** Values that tend to break length and count fields. */
const INTERESTING_U32 = [
  0, 1, 2, 3, 4, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
];
/** Chunk tags of the formats we read: a length sits right after (RIFF, MIDI, zip-local) or is near. */
const CHUNK_TAGS = ['MThd', 'MTrk', 'RIFF', 'WAVE', 'fmt ', 'data', 'fLaC', 'PK\x03\x04', 'PK\x01\x02', 'PK\x05\x06'];

function findTags(bytes: Uint8Array): number[] {
  const found: number[] = [];
  for (const tag of CHUNK_TAGS) {
    const codes = [...tag].map((c) => c.charCodeAt(0));
    for (let i = 0; i + codes.length <= bytes.length && found.length < 512; i++) {
      let hit = true;
      for (let k = 0; k < codes.length && hit; k++) hit = bytes[i + k] === codes[k];
      if (hit) found.push(i + codes.length);
    }
  }
  return found;
}

function writeU32(out: Uint8Array, at: number, value: number, bigEndian: boolean): void {
  for (let k = 0; k < 4 && at + k < out.length; k++) {
    const shift = bigEndian ? 24 - 8 * k : 8 * k;
    out[at + k] = (value >>> shift) & 0xff;
  }
}

/** One to four byte-level mutations of `seed`: flips, truncation, insertion, deletion, chunk-length corruption. */
export function mutateBytes(seed: Uint8Array, rng: Rng): Uint8Array {
  let out: Uint8Array = Uint8Array.from(seed);
  const rounds = 1 + int(rng, 4);
  for (let r = 0; r < rounds; r++) {
    const kind = int(rng, 8);
    const at = int(rng, Math.max(1, out.length));
    if (kind === 0 || kind === 1) {
      // byte flips
      const flips = 1 + int(rng, 8);
      for (let f = 0; f < flips && out.length > 0; f++) out[int(rng, out.length)]! ^= 1 << int(rng, 8);
    } else if (kind === 2) {
      out = out.slice(0, at); // truncation
    } else if (kind === 3) {
      const junk = new Uint8Array(1 + int(rng, 64)).map(() => int(rng, 256));
      out = concat(out.subarray(0, at), junk, out.subarray(at)); // insertion
    } else if (kind === 4) {
      out = concat(out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + int(rng, 256)))); // deletion
    } else if (kind === 5) {
      const from = int(rng, Math.max(1, out.length));
      out = concat(out.subarray(0, at), out.subarray(from, from + 1 + int(rng, 128)), out.subarray(at)); // duplicate
    } else {
      // chunk-length corruption: an interesting value right after a chunk tag (either endianness), else anywhere
      const tags = findTags(out);
      const where = tags.length > 0 && rng() < 0.8 ? pick(rng, tags) + (rng() < 0.5 ? 0 : int(rng, 16)) : at;
      writeU32(out, where, pick(rng, INTERESTING_U32), rng() < 0.5);
    }
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const STRANGE_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  -1e308,
  0.5,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x'.repeat(5000),
  '../../etc/passwd',
  '/etc/passwd',
  'C:\\Windows\\x',
  '\u0000',
  '\n',
  [],
  {},
  [1, 2, 3],
  { __proto__: { polluted: true } },
];

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Every (container, key) pair in a JSON value, so a mutation can hit any depth. */
function slots(value: JsonValue, out: Array<[JsonValue[] | Record<string, JsonValue>, string | number]> = []) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([value, i]);
      slots(v, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push([value, k]);
      slots(v, out);
    }
  }
  return out;
}

/** One to three field-level mutations of a JSON document: wrong types, odd numbers, deleted or added keys. */
export function mutateJson(seed: JsonValue, rng: Rng): JsonValue {
  const doc = structuredClone(seed);
  const rounds = 1 + int(rng, 3);
  for (let r = 0; r < rounds; r++) {
    const all = slots(doc);
    if (all.length === 0) break;
    const [container, key] = pick(rng, all);
    const kind = int(rng, 6);
    const old = (container as Record<string | number, JsonValue>)[key]!;
    if (kind === 0 && !Array.isArray(container)) {
      delete (container as Record<string, JsonValue>)[key as string];
    } else if (kind === 1 && typeof old === 'number') {
      (container as Record<string | number, JsonValue>)[key] = pick(rng, [old + 1, old - 1, -old, old * 1000, 0, NaN]);
    } else if (kind === 2 && Array.isArray(old)) {
      if (rng() < 0.5) old.pop();
      else if (old.length > 0) old.push(structuredClone(old[int(rng, old.length)]!));
      else old.push(null);
    } else if (kind === 3 && !Array.isArray(container)) {
      (container as Record<string, JsonValue>)[`extra${int(rng, 10)}`] = pick(rng, STRANGE_VALUES) as JsonValue;
    } else if (kind === 4 && typeof old === 'string') {
      (container as Record<string | number, JsonValue>)[key] =
        old.slice(0, int(rng, old.length + 1)) + pick(rng, ['', '/..', '\u0000', 'é', '0']);
    } else {
      (container as Record<string | number, JsonValue>)[key] = structuredClone(pick(rng, STRANGE_VALUES)) as JsonValue;
    }
  }
  return doc;
}

export interface FuzzFinding {
  iteration: number;
  what: string;
}

export interface FuzzReport {
  target: string;
  seed: number;
  inputs: number;
  accepted: number;
  refused: number;
  slowestMs: number;
  /** The iteration that took slowestMs (replay it to see why). */
  slowestIteration: number;
  findings: FuzzFinding[];
}

export const DEFAULT_PER_INPUT_MS = 2000;

/**
 * Runs `count` inputs through `call`. Each input is made by `make(rng, iteration)`; an outcome that
 * breaks the contract is recorded (up to 20) with its iteration so it replays.
 */
export async function fuzz<T>(options: {
  target: string;
  seed: number;
  count: number;
  make: (rng: Rng, iteration: number) => T;
  call: (input: T) => unknown;
  perInputMs?: number;
}): Promise<FuzzReport> {
  const rng = prng(options.seed);
  const limit = options.perInputMs ?? DEFAULT_PER_INPUT_MS;
  const report: FuzzReport = {
    target: options.target,
    seed: options.seed,
    inputs: 0,
    accepted: 0,
    refused: 0,
    slowestMs: 0,
    slowestIteration: -1,
    findings: [],
  };
  for (let i = 0; i < options.count; i++) {
    const input = options.make(rng, i);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = options.call(input);
      if (value instanceof Promise) {
        await Promise.race([
          value,
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new HangError(limit)), limit);
          }),
        ]);
      }
      report.accepted++;
    } catch (error) {
      if (error instanceof StudioFailure && error.message.trim() !== '' && !error.message.includes('\n')) {
        report.refused++;
      } else if (report.findings.length < 20) {
        const what =
          error instanceof HangError
            ? error.message
            : error instanceof StudioFailure
              ? `StudioFailure with a bad message: ${JSON.stringify(error.message)}`
              : `${(error as Error)?.name ?? typeof error}: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
        report.findings.push({ iteration: i, what });
      }
    } finally {
      if (timer) clearTimeout(timer);
    }
    const ms = performance.now() - started;
    if (ms > report.slowestMs) {
      report.slowestMs = ms;
      report.slowestIteration = i;
    }
    if (ms > limit && report.findings.length < 20)
      report.findings.push({ iteration: i, what: `took ${ms.toFixed(0)} ms (limit ${limit} ms)` });
    report.inputs++;
  }
  return report;
}

class HangError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms (hang)`);
    this.name = 'HangError';
  }
}

/** A one-line summary for logs and docs/reliability.md. */
export const summarize = (r: FuzzReport): string =>
  `${r.target}: ${r.inputs} inputs (seed ${r.seed}), ${r.accepted} accepted, ${r.refused} refused with StudioFailure, ` +
  `slowest ${r.slowestMs.toFixed(1)} ms (#${r.slowestIteration}), ${r.findings.length} findings`;
