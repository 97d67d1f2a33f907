// Filling a graph template: the exported ONNX ModelProto with some initializers' raw_data removed. Protobuf encodes
// a message as its fields in order, so the filled file is the template's bytes with, for each such TensorProto, a
// raw_data field (number 9) inserted after its name (8) and the lengths of the enclosing TensorProto, GraphProto
// and ModelProto fields grown to match. That is all the "ONNX writing" the installer needs: the bytes equal what
// onnx.save writes for the same model, and nothing else in the graph is touched.

export type Part = Uint8Array | { initializer: string; bytes: number };

interface Field {
  number: number;
  wire: number;
  /** The whole field (tag included). */
  start: number;
  end: number;
  /** Payload of a length-delimited field. */
  body?: [number, number];
  value?: number;
}

function readVarint(b: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let p = at; p < b.length; p++) {
    value += (b[p]! & 0x7f) * scale;
    if (!(b[p]! & 0x80)) return [value, p + 1];
    scale *= 128;
  }
  throw new Error('template is damaged (varint runs past the end)');
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function fields(b: Uint8Array, from = 0, to = b.length): Field[] {
  const out: Field[] = [];
  let p = from;
  while (p < to) {
    const start = p;
    const [tag, afterTag] = readVarint(b, p);
    const number = Math.floor(tag / 8);
    const wire = tag % 8;
    p = afterTag;
    if (wire === 0) {
      const [value, next] = readVarint(b, p);
      out.push({ number, wire, start, end: next, value });
      p = next;
    } else if (wire === 2) {
      const [length, next] = readVarint(b, p);
      out.push({ number, wire, start, end: next + length, body: [next, next + length] });
      p = next + length;
    } else if (wire === 1 || wire === 5) {
      p += wire === 1 ? 8 : 4;
      out.push({ number, wire, start, end: p });
    } else throw new Error(`template is damaged (wire type ${wire})`);
  }
  if (p !== to) throw new Error('template is damaged (field runs past its message)');
  return out;
}

const tag = (number: number, wire: number) => varint(number * 8 + wire);
const partBytes = (parts: Part[]) => parts.reduce((n, p) => n + (p instanceof Uint8Array ? p.length : p.bytes), 0);

function lengthDelimited(number: number, parts: Part[]): Part[] {
  return [tag(number, 2), varint(partBytes(parts)), ...parts];
}

export interface TemplateTensor {
  name: string;
  dims: number[];
  /** ONNX TensorProto.DataType: 1 float, 3 int8. */
  dataType: number;
}

const ITEM_BYTES: Record<number, number> = { 1: 4, 3: 1 };

/**
 * The filled model as parts: template bytes, and a placeholder for each initializer in `fill` (its raw bytes,
 * little-endian, are written in place of the placeholder). Also returns the tensors' declared dims and types.
 */
export function planFill(
  template: Uint8Array,
  fill: Set<string>,
): { parts: Part[]; tensors: Map<string, TemplateTensor> } {
  const tensors = new Map<string, TemplateTensor>();
  const slice = (f: { start: number; end: number }) => template.subarray(f.start, f.end);
  const tensorParts = (f: Field): Part[] => {
    const [from, to] = f.body!;
    const inner = fields(template, from, to);
    const text = new TextDecoder();
    const nameField = inner.find((x) => x.number === 8);
    const name = nameField ? text.decode(template.subarray(...nameField.body!)) : '';
    if (!fill.has(name)) return [slice(f)];
    const dims: number[] = [];
    for (const x of inner.filter((y) => y.number === 1)) {
      if (x.wire === 0) dims.push(x.value!);
      else for (let p = x.body![0]; p < x.body![1];) [dims[dims.length], p] = readVarint(template, p);
    }
    const dataType = inner.find((x) => x.number === 2)?.value ?? 0;
    if (!ITEM_BYTES[dataType]) throw new Error(`initializer ${name} has data type ${dataType}, not float or int8`);
    if (inner.some((x) => x.number === 9)) throw new Error(`initializer ${name} already has raw_data`);
    tensors.set(name, { name, dims, dataType });
    const bytes = dims.reduce((a, b) => a * b, 1) * ITEM_BYTES[dataType]!;
    const before = inner.filter((x) => x.number < 9).map(slice);
    const after = inner.filter((x) => x.number > 9).map(slice);
    return lengthDelimited(5, [...before, tag(9, 2), varint(bytes), { initializer: name, bytes }, ...after]);
  };
  const graphParts = (f: Field): Part[] =>
    lengthDelimited(
      7,
      fields(template, ...f.body!).flatMap((g) => (g.number === 5 && g.wire === 2 ? tensorParts(g) : [slice(g)])),
    );
  const parts = fields(template).flatMap((f) => (f.number === 7 && f.wire === 2 ? graphParts(f) : [slice(f)]));
  const missing = [...fill].filter((n) => !tensors.has(n));
  if (missing.length) throw new Error(`template has no initializer ${missing.slice(0, 3).join(', ')}`);
  return { parts, tensors };
}
