// A small iterative radix-2 FFT. The project has no FFT library yet (fft.js, 4.0.4, is the
// maintained candidate the lead may add); every caller goes through `fftFor(size)`, so swapping the
// implementation is a change to this file only. Tables are built once per size and cached.

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
  const half = size >> 1;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = -Math.sin((2 * Math.PI * k) / size);
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
      const sign = inverse ? -1 : 1;
      for (let len = 2; len <= size; len <<= 1) {
        const halfLen = len >> 1;
        const step = size / len;
        for (let start = 0; start < size; start += len) {
          for (let k = 0, t = 0; k < halfLen; k++, t += step) {
            const wr = cos[t]!;
            const wi = sign * sin[t]!;
            const a = start + k;
            const b = a + halfLen;
            const xr = re[b]! * wr - im[b]! * wi;
            const xi = re[b]! * wi + im[b]! * wr;
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
