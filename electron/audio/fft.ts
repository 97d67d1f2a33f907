// In-place iterative radix-2 FFT on split real/imaginary arrays. Small and exact enough for the
// spectral masks of stem splitting; no FFT package is among the project's dependencies.

interface FftTables {
  reverse: Uint32Array;
  cos: Float64Array;
  sin: Float64Array;
}

const tables = new Map<number, FftTables>();

function tablesFor(size: number): FftTables {
  const cached = tables.get(size);
  if (cached) return cached;
  if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size ${size} is not a power of two`);
  const bits = Math.log2(size);
  const reverse = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reverse[i] = r;
  }
  const cos = new Float64Array(size / 2);
  const sin = new Float64Array(size / 2);
  for (let k = 0; k < size / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = -Math.sin((2 * Math.PI * k) / size);
  }
  const made = { reverse, cos, sin };
  tables.set(size, made);
  return made;
}

/** Forward transform (e^{-i…}) in place; `inverse` computes the unscaled inverse (divide by the size yourself). */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const size = re.length;
  const { reverse, cos, sin } = tablesFor(size);
  for (let i = 0; i < size; i++) {
    const j = reverse[i]!;
    if (j > i) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
  const sign = inverse ? -1 : 1;
  for (let len = 2; len <= size; len <<= 1) {
    const half = len >> 1;
    const step = size / len;
    for (let start = 0; start < size; start += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sign * sin[k * step]!;
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a]! += xr;
        im[a]! += xi;
      }
    }
  }
}
