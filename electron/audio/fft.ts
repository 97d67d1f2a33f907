// A small synchronous radix-2 FFT for analysis: the performer match's mel spectra and filter design, and
// the stem split. Long convolutions (the match filter over whole renders) use PFFFT in convolve.ts,
// which is asynchronous to load and far faster on large sizes. Tables are built once per size and cached.

export interface Fft {
  readonly size: number;
  /** In-place complex transform of (re, im); `inverse` also scales by 1/size. */
  transform(re: Float64Array, im: Float64Array, inverse?: boolean): void;
}

const cache = new Map<number, Fft>();

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export function fftFor(size: number): Fft {
  let fft = cache.get(size);
  if (!fft) {
    fft = makeFft(size);
    cache.set(size, fft);
  }
  return fft;
}

function makeFft(size: number): Fft {
  if (!isPowerOfTwo(size)) throw new Error(`FFT size ${size} is not a power of two`);
  const bits = Math.round(Math.log2(size));
  const reverse = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reverse[i] = r;
  }
  // Twiddles stage by stage, contiguous (stage of length L holds cos/sin of 2πk/L, k < L/2), so the
  // inner loop reads them in order: far fewer cache misses than one strided table on large sizes.
  const cos = new Float64Array(Math.max(1, size));
  const sin = new Float64Array(Math.max(1, size));
  for (let len = 2, offset = 0; len <= size; offset += len >> 1, len <<= 1) {
    for (let k = 0; k < len >> 1; k++) {
      cos[offset + k] = Math.cos((2 * Math.PI * k) / len);
      sin[offset + k] = -Math.sin((2 * Math.PI * k) / len);
    }
  }
  return {
    size,
    transform(re, im, inverse = false) {
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
      // First stage: twiddle 1.
      for (let a = 0; a + 1 < size; a += 2) {
        const xr = re[a + 1]!;
        const xi = im[a + 1]!;
        re[a + 1] = re[a]! - xr;
        im[a + 1] = im[a]! - xi;
        re[a]! += xr;
        im[a]! += xi;
      }
      const sign = inverse ? -1 : 1;
      for (let len = 4, offset = 1; len <= size; offset += len >> 1, len <<= 1) {
        const halfLen = len >> 1;
        for (let start = 0; start < size; start += len) {
          for (let k = 0; k < halfLen; k++) {
            const wr = cos[offset + k]!;
            const wi = sign * sin[offset + k]!;
            const a = start + k;
            const b = a + halfLen;
            const br = re[b]!;
            const bi = im[b]!;
            const xr = br * wr - bi * wi;
            const xi = br * wi + bi * wr;
            re[b] = re[a]! - xr;
            im[b] = im[a]! - xi;
            re[a]! += xr;
            im[a]! += xi;
          }
        }
      }
      if (inverse) {
        const scale = 1 / size;
        for (let i = 0; i < size; i++) {
          re[i]! *= scale;
          im[i]! *= scale;
        }
      }
    },
  };
}
