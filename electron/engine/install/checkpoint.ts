// Opening a checkpoint in any form convert.py accepts (native-models/midivalle/checkpoint.py: read_checkpoint and
// unwrap): a bare state_dict, icefall's trainer dict {'model': sd, ...} (DDP 'module.' prefixes dropped), audiocraft's
// export {'best_state', 'xp.cfg', ...} or solver checkpoint {'best_state': {'model': sd}}. Tensors stay on disk until
// a recipe reads them.
import { stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { CheckpointError } from './errors';
import { isTensor, torchStorage, unpickle, type DType, type TensorRef } from './pickle';
import { openCheckpointFile, readAt, readZipIndex, type ZipEntry } from './zip-index';
import { parseYamlLite } from './yaml-lite';

export type StateDict = Map<string, TensorRef>;
const LIST_LIMIT = 12;

export interface Checkpoint {
  what: string;
  state: StateDict;
  /** audiocraft's xp.cfg, parsed; null when absent. */
  cfg: Record<string, unknown> | null;
  /** Other top-level entries (icefall's `nhead`, audiocraft's `version`, ...). */
  extras: Map<unknown, unknown>;
  read(t: TensorRef): Promise<Float32Array>;
  close(): Promise<void>;
}

const ITEM_BYTES: Record<DType, number> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Element i of a little-endian buffer of `dtype`, as float32 (what load_state_dict into an fp32 model does). */
function decoder(dtype: DType, buffer: Buffer): (i: number) => number {
  switch (dtype) {
    case 'float32':
      return (i) => buffer.readFloatLE(i * 4);
    case 'float64':
      return (i) => buffer.readDoubleLE(i * 8);
    case 'float16':
      return (i) => half(buffer.readUInt16LE(i * 2));
    case 'bfloat16': {
      const f = new Float32Array(1);
      const u = new Uint32Array(f.buffer);
      return (i) => ((u[0] = buffer.readUInt16LE(i * 2) << 16), f[0]!);
    }
    case 'int64':
      return (i) => Number(buffer.readBigInt64LE(i * 8));
    case 'int32':
      return (i) => buffer.readInt32LE(i * 4);
    case 'int16':
      return (i) => buffer.readInt16LE(i * 2);
    case 'int8':
      return (i) => buffer.readInt8(i);
    default:
      return (i) => buffer[i]!;
  }
}

async function readTensor(file: FileHandle, entry: ZipEntry, t: TensorRef): Promise<Float32Array> {
  const item = ITEM_BYTES[t.storage.dtype];
  const numel = t.shape.reduce((a, b) => a * b, 1);
  // The span of storage elements the view touches (views of a larger storage are read in one go).
  let last = 0;
  t.shape.forEach((n, i) => (last += (n - 1) * t.stride[i]!));
  const span = numel === 0 ? 0 : last + 1;
  const out = new Float32Array(numel);
  const contiguous = t.shape.every((_, i) => t.stride[i] === t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  if (t.storage.dtype === 'float32' && contiguous) {
    // The common case: the file's bytes are the tensor (little-endian float32), read straight into it.
    const target = new Uint8Array(out.buffer);
    const { bytesRead } = await file.read(target, 0, target.length, entry.dataOffset + t.offset * item);
    if (bytesRead < target.length) throw new CheckpointError(`storage ${t.storage.key} is cut short`);
    return out;
  }
  const buffer = await readAt(file, entry.dataOffset + t.offset * item, span * item);
  if (buffer.length < span * item) throw new CheckpointError(`storage ${t.storage.key} is cut short`);
  const get = decoder(t.storage.dtype, buffer);
  const index = new Array<number>(t.shape.length).fill(0);
  for (let n = 0; n < numel; n++) {
    let at = 0;
    for (let d = 0; d < index.length; d++) at += index[d]! * t.stride[d]!;
    out[n] = get(at);
    for (let d = index.length - 1; d >= 0; d--) {
      if (++index[d]! < t.shape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

function names(keys: string[], limit = LIST_LIMIT): string {
  const sorted = [...keys].sort();
  const more = sorted.length > limit ? ` … (+${sorted.length - limit} more)` : '';
  return sorted.slice(0, limit).join(', ') + more;
}

/** convert.py's unwrap(): state_dict without 'module.' prefixes, xp.cfg, the other top-level entries. */
function unwrap(obj: unknown, what: string): Pick<Checkpoint, 'state' | 'cfg' | 'extras'> {
  if (!(obj instanceof Map)) {
    const type = Array.isArray(obj) ? 'tuple' : isTensor(obj) ? 'Tensor' : obj === null ? 'NoneType' : typeof obj;
    throw new CheckpointError(`${what}: expected a dict checkpoint, got ${type}`);
  }
  let cfg: Record<string, unknown> | null = null;
  let extras = new Map<unknown, unknown>();
  let state: unknown = obj;
  if (obj.has('best_state')) {
    state = obj.get('best_state');
    if (state instanceof Map && state.get('model') instanceof Map) state = state.get('model');
    const raw = obj.get('xp.cfg');
    if (typeof raw === 'string') cfg = parseYamlLite(raw) as Record<string, unknown>;
    else if (raw instanceof Map) cfg = Object.fromEntries(raw) as Record<string, unknown>;
    extras = new Map([...obj].filter(([k]) => k !== 'best_state' && k !== 'xp.cfg'));
  } else if (obj.get('model') instanceof Map) {
    state = obj.get('model');
    extras = new Map([...obj].filter(([k]) => k !== 'model'));
  }
  const entries = state instanceof Map ? [...state] : [];
  const tensors = entries.filter(([, v]) => isTensor(v)) as [string, TensorRef][];
  if (tensors.length === 0) {
    throw new CheckpointError(
      `${what}: no tensors found (keys: ${entries
        .slice(0, LIST_LIMIT)
        .map(([k]) => String(k))
        .join(', ')})`,
    );
  }
  return { state: new Map(tensors.map(([k, v]) => [String(k).replace(/^module\./, ''), v])), cfg, extras };
}

/** A checkpoint's data.pkl -> its state_dict (tensor references), xp.cfg and other entries. */
export function readCheckpointPickle(pkl: Uint8Array, what: string): Pick<Checkpoint, 'state' | 'cfg' | 'extras'> {
  return unwrap(unpickle(pkl, torchStorage, what), what);
}

/** Open `path` and read its pickle (no tensor data yet). Every failure is a one-line CheckpointError. */
export async function openCheckpoint(path: string, what: string): Promise<Checkpoint> {
  if (!(await stat(path).catch(() => undefined))?.isFile()) throw new CheckpointError(`${path}: file not found`);
  const { file, size } = await openCheckpointFile(path);
  try {
    const entries = await readZipIndex(file, size, what);
    const pkl = [...entries.values()].find((e) => /^[^/]+\/data\.pkl$/.test(e.name));
    if (!pkl) throw new CheckpointError(`${what}: not a PyTorch checkpoint (the zip has no data.pkl)`);
    const root = pkl.name.slice(0, -'data.pkl'.length);
    const stored = (e: ZipEntry) => {
      if (e.compressed)
        throw new CheckpointError(
          `${what}: zip entry ${e.name} is compressed; PyTorch checkpoints store entries as they are`,
        );
      return e;
    };
    stored(pkl);
    const unwrapped = readCheckpointPickle(await readAt(file, pkl.dataOffset, pkl.size), what);
    const storages = new Map<string, ZipEntry>();
    for (const t of unwrapped.state.values()) {
      const entry = entries.get(`${root}data/${t.storage.key}`);
      const bytes = t.storage.numel * ITEM_BYTES[t.storage.dtype];
      if (!entry)
        throw new CheckpointError(`${what}: storage ${t.storage.key} is missing from the zip; the file is damaged`);
      if (entry.size < bytes)
        throw new CheckpointError(`${what}: storage ${t.storage.key} is cut short; download the file again`);
      storages.set(t.storage.key, stored(entry));
    }
    return {
      what,
      ...unwrapped,
      read: (t) => readTensor(file, storages.get(t.storage.key)!, t),
      close: () => file.close(),
    };
  } catch (error) {
    await file.close();
    throw error;
  }
}

export { names as listNames };
