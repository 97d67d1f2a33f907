// A data-only reader for the pickle in a PyTorch checkpoint (data.pkl). Python's pickle calls whatever global the
// file names; this reader knows a fixed allow-list (the globals a state_dict needs) and refuses any other with
// one line, so nothing in the file is ever executed. No maintained JavaScript unpickler has such an allow-list.
import { CheckpointError } from './errors';

export type DType =
  'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** A storage named by data.pkl; its bytes are the zip entry `<archive>/data/<key>`. */
export interface StorageRef {
  key: string;
  dtype: DType;
  numel: number;
}

/** A tensor: a strided view of a storage (not read until needed). */
export interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
}

export const isTensor = (v: unknown): v is TensorRef => (v as TensorRef | null)?.kind === 'tensor';

const STORAGE_TYPES: Record<string, DType> = {
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  DoubleStorage: 'float64',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

interface Global {
  global: string;
  call?: (args: unknown[]) => unknown;
}

const asInts = (v: unknown, what: string): number[] => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw new Error(`${what} is not a tuple of ints`);
  return v as number[];
};

function rebuildTensor(args: unknown[]): TensorRef {
  const [storage, offset, shape, stride] = args;
  if ((storage as StorageRef | null)?.key === undefined || typeof offset !== 'number')
    throw new Error('_rebuild_tensor_v2 without a storage');
  return {
    kind: 'tensor',
    storage: storage as StorageRef,
    offset,
    shape: asInts(shape, 'size'),
    stride: asInts(stride, 'stride'),
  };
}

/** The allow-list: module.name -> how a REDUCE on it builds a plain value. */
function allowed(module: string, name: string): Global | undefined {
  const global = `${module}.${name}`;
  if (module === 'collections' && name === 'OrderedDict') return { global, call: () => new Map() };
  if (module === 'torch._utils' && name === '_rebuild_tensor_v2') return { global, call: rebuildTensor };
  if (module === 'torch._utils' && (name === '_rebuild_parameter' || name === '_rebuild_parameter_with_state'))
    return { global, call: (args) => args[0] };
  if (module === 'torch' && name in STORAGE_TYPES) return { global };
  return undefined;
}

const MARK = Symbol('mark');

/**
 * Parse `data` (a pickle, protocol 2-5). `persistentLoad` turns a persistent id (torch's
 * ('storage', type, key, location, numel) tuple) into a value. Dicts become Maps (insertion order kept), tuples
 * and lists arrays.
 */
export function unpickle(data: Uint8Array, persistentLoad: (pid: unknown) => unknown, what: string): unknown {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const text = new TextDecoder('utf-8');
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let p = 0;
  const need = (n: number) => {
    if (p + n > data.length) throw new CheckpointError(`${what}: the pickle in the checkpoint is cut short`);
  };
  const u8 = () => (need(1), data[p++]!);
  const u16 = () => (need(2), (p += 2), view.getUint16(p - 2, true));
  const u32 = () => (need(4), (p += 4), view.getUint32(p - 4, true));
  const i32 = () => (need(4), (p += 4), view.getInt32(p - 4, true));
  const bytes = (n: number) => (need(n), (p += n), data.subarray(p - n, p));
  const pop = () => {
    if (stack.length === 0) throw new Error('stack underflow');
    return stack.pop();
  };
  const popMark = (): unknown[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new Error('no MARK');
    const items = stack.splice(at + 1);
    stack.pop();
    return items;
  };
  const top = () => stack[stack.length - 1];
  const setItems = (dict: unknown, items: unknown[]) => {
    if (!(dict instanceof Map)) throw new Error('SETITEM on a non-dict');
    for (let i = 0; i + 1 < items.length; i += 2) dict.set(items[i], items[i + 1]);
  };
  const refuse = (module: string, name: string) =>
    new CheckpointError(
      `${what}: the checkpoint's pickle names ${module}.${name}, which a weights file does not need; refused (nothing was run)`,
    );
  try {
    for (;;) {
      const op = u8();
      switch (op) {
        case 0x80: // PROTO
          u8();
          break;
        case 0x95: // FRAME
          bytes(8);
          break;
        case 0x2e: // STOP
          return pop();
        case 0x28: // MARK
          stack.push(MARK);
          break;
        case 0x7d: // EMPTY_DICT
          stack.push(new Map());
          break;
        case 0x5d: // EMPTY_LIST
          stack.push([]);
          break;
        case 0x29: // EMPTY_TUPLE
          stack.push([]);
          break;
        case 0x4e: // NONE
          stack.push(null);
          break;
        case 0x88: // NEWTRUE
          stack.push(true);
          break;
        case 0x89: // NEWFALSE
          stack.push(false);
          break;
        case 0x4b: // BININT1
          stack.push(u8());
          break;
        case 0x4d: // BININT2
          stack.push(u16());
          break;
        case 0x4a: // BININT
          stack.push(i32());
          break;
        case 0x8a: {
          // LONG1: little-endian two's complement
          const b = bytes(u8());
          let v = 0n;
          for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
          if (b.length > 0 && b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
          stack.push(Number(v));
          break;
        }
        case 0x47: // BINFLOAT (big-endian double)
          need(8);
          stack.push(view.getFloat64(p, false));
          p += 8;
          break;
        case 0x58: // BINUNICODE
          stack.push(text.decode(bytes(u32())));
          break;
        case 0x8c: // SHORT_BINUNICODE
          stack.push(text.decode(bytes(u8())));
          break;
        case 0x8d: // BINUNICODE8
          need(8);
          p += 8;
          stack.push(text.decode(bytes(Number(view.getBigUint64(p - 8, true)))));
          break;
        case 0x43: // SHORT_BINBYTES
          stack.push(bytes(u8()));
          break;
        case 0x42: // BINBYTES
          stack.push(bytes(u32()));
          break;
        case 0x85: // TUPLE1
          stack.push([pop()]);
          break;
        case 0x86: {
          // TUPLE2
          const b = pop();
          stack.push([pop(), b]);
          break;
        }
        case 0x87: {
          // TUPLE3
          const c = pop();
          const b = pop();
          stack.push([pop(), b, c]);
          break;
        }
        case 0x74: // TUPLE
        case 0x6c: // LIST
          stack.push(popMark());
          break;
        case 0x64: {
          // DICT
          const d = new Map();
          setItems(d, popMark());
          stack.push(d);
          break;
        }
        case 0x61: {
          // APPEND
          const v = pop();
          (top() as unknown[]).push(v);
          break;
        }
        case 0x65: {
          // APPENDS
          const items = popMark();
          (top() as unknown[]).push(...items);
          break;
        }
        case 0x73: {
          // SETITEM
          const v = pop();
          const k = pop();
          setItems(top(), [k, v]);
          break;
        }
        case 0x75: {
          // SETITEMS
          const items = popMark();
          setItems(top(), items);
          break;
        }
        case 0x71: // BINPUT
          memo.set(u8(), top());
          break;
        case 0x72: // LONG_BINPUT
          memo.set(u32(), top());
          break;
        case 0x94: // MEMOIZE
          memo.set(memo.size, top());
          break;
        case 0x68: // BINGET
        case 0x6a: {
          // LONG_BINGET
          const at = op === 0x68 ? u8() : u32();
          if (!memo.has(at)) throw new Error(`memo ${at} unset`);
          stack.push(memo.get(at));
          break;
        }
        case 0x30: // POP
          pop();
          break;
        case 0x31: // POP_MARK
          popMark();
          break;
        case 0x32: // DUP
          stack.push(top());
          break;
        case 0x63: {
          // GLOBAL: "module\nname\n"
          const end1 = data.indexOf(0x0a, p);
          const end2 = end1 < 0 ? -1 : data.indexOf(0x0a, end1 + 1);
          if (end2 < 0) throw new Error('GLOBAL without a name');
          const module = text.decode(data.subarray(p, end1));
          const name = text.decode(data.subarray(end1 + 1, end2));
          p = end2 + 1;
          const g = allowed(module, name);
          if (!g) throw refuse(module, name);
          stack.push(g);
          break;
        }
        case 0x93: {
          // STACK_GLOBAL
          const name = pop();
          const module = pop();
          const g = allowed(String(module), String(name));
          if (!g) throw refuse(String(module), String(name));
          stack.push(g);
          break;
        }
        case 0x52: {
          // REDUCE
          const args = pop();
          const fn = pop() as Global;
          if (typeof fn?.call !== 'function') throw new Error(`cannot call ${fn?.global ?? typeof fn}`);
          stack.push(fn.call(args as unknown[]));
          break;
        }
        case 0x62: {
          // BUILD: only an OrderedDict's attributes (a state_dict's _metadata), which are not weights
          pop();
          if (!(top() instanceof Map)) throw new Error('BUILD on an object that is not a dict');
          break;
        }
        case 0x51: // BINPERSID
          stack.push(persistentLoad(pop()));
          break;
        default:
          throw new Error(`unsupported pickle opcode 0x${op.toString(16)} at byte ${p - 1}`);
      }
    }
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(`${what}: not a PyTorch checkpoint (${(error as Error).message})`);
  }
}

/** torch's persistent id for a storage: ('storage', <storage type global>, key, location, numel). */
export function torchStorage(pid: unknown): StorageRef {
  if (!Array.isArray(pid) || pid[0] !== 'storage') throw new Error('unknown persistent id');
  const type = (pid[1] as Global | undefined)?.global ?? '';
  const dtype = STORAGE_TYPES[type.replace(/^torch\./, '')];
  if (!dtype) throw new Error(`unknown storage type ${type}`);
  return { key: String(pid[2]), dtype, numel: Number(pid[4]) };
}
