// The .npy bytes numpy 1.x writes for np.save of a C-order int64 (rows, 6) array: the magic string,
// version 1.0, a little-endian header length, the header dict padded with spaces to a multiple of
// 64 bytes and ended by a newline, then the values as little-endian int64.
import { TOKEN_WIDTH, type TokenMatrix } from './tokenizer';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00]; // \x93NUMPY v1.0
const ALIGN = 64;

export function encodeTokenNpy(tokens: TokenMatrix): Uint8Array {
  const dict = `{'descr': '<i8', 'fortran_order': False, 'shape': (${tokens.rows}, ${TOKEN_WIDTH}), }`;
  // numpy leaves room for the first axis to grow to 21 digits, then pads to the alignment.
  const unpadded = MAGIC.length + 2 + dict.length + 1;
  const growth = Math.max(0, 21 - String(tokens.rows).length);
  const total = Math.ceil((unpadded + growth) / ALIGN) * ALIGN;
  const header = dict + ' '.repeat(total - unpadded) + '\n';
  const out = new Uint8Array(total + tokens.rows * TOKEN_WIDTH * 8);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  for (let i = 0; i < tokens.data.length; i++) {
    const value = tokens.data[i]!; // int32 widened to int64: low word, then the sign word
    view.setInt32(total + i * 8, value, true);
    view.setInt32(total + i * 8 + 4, value < 0 ? -1 : 0, true);
  }
  return out;
}

/** Reads back a (rows, 6) int64 .npy written by numpy or by encodeTokenNpy. */
export function decodeTokenNpy(bytes: Uint8Array): TokenMatrix {
  const text = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length < 10 || bytes[0] !== 0x93 || text(1, 6) !== 'NUMPY') throw new Error('not a .npy file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = text(major === 1 ? 10 : 12, start);
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
  if (
    !/'descr':\s*'<i8'/.test(header) ||
    !shape ||
    Number(shape[2]) !== TOKEN_WIDTH ||
    /'fortran_order':\s*True/.test(header)
  ) {
    throw new Error(`not a C-order int64 (N, ${TOKEN_WIDTH}) array: ${header.trim()}`);
  }
  const rows = Number(shape[1]);
  const data = new Int32Array(rows * TOKEN_WIDTH);
  for (let i = 0; i < data.length; i++) data[i] = Number(view.getBigInt64(start + i * 8, true));
  return { rows, data };
}
