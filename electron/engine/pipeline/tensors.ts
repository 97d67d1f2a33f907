// Small helpers around ort.Tensor so that the pipeline reads as shapes, not constructor calls.
import { loadOrt, type OrtTensor } from '../runtime/ort';

export function int64Tensor(values: ArrayLike<number>, dims: number[]): OrtTensor {
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]!);
  return new (loadOrt().Tensor)('int64', data, dims);
}

export function float32Tensor(data: Float32Array, dims: number[]): OrtTensor {
  return new (loadOrt().Tensor)('float32', data, dims);
}

/** A float32, uint8 or int8 tensor over `data` (no copy): the KV cache's inputs. */
export function typedTensor(
  type: 'float32' | 'uint8' | 'int8',
  data: Float32Array | Uint8Array | Int8Array,
  dims: number[],
): OrtTensor {
  const Tensor = loadOrt().Tensor;
  if (type === 'float32') return new Tensor('float32', data as Float32Array, dims);
  return type === 'uint8' ? new Tensor('uint8', data as Uint8Array, dims) : new Tensor('int8', data as Int8Array, dims);
}

export function asFloat32(tensor: OrtTensor | undefined, name: string): Float32Array {
  if (!tensor || tensor.type !== 'float32') throw new Error(`graph output ${name} missing or not float32`);
  return tensor.data as Float32Array;
}

/** An int64 (or int32) graph output as plain numbers; ids are small, so Number() is exact. */
export function asInt32(tensor: OrtTensor | undefined, name: string): Int32Array {
  if (!tensor) throw new Error(`graph output ${name} missing`);
  if (tensor.type === 'int32') return tensor.data as Int32Array;
  if (tensor.type !== 'int64') throw new Error(`graph output ${name} is ${tensor.type}, expected int64`);
  const source = tensor.data as BigInt64Array;
  const out = new Int32Array(source.length);
  for (let i = 0; i < source.length; i++) out[i] = Number(source[i]!);
  return out;
}
