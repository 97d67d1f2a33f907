// Long FIR convolution (overlap-add) on PFFFT, compiled to WebAssembly with SIMD
// (@echogarden/pffft-wasm). The performer match filters every matched render with a filter of up to
// ~100k taps (tone ⊛ room); PFFFT's real transforms and its frequency-domain multiply-accumulate do that
// about six times faster than a JavaScript FFT (docs/audio.md, "Speed"). Short analysis transforms
// (mel spectra, filter design) stay on fft.ts: they are synchronous and small.
import PFFFT from '@echogarden/pffft-wasm/simd';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { nextPowerOfTwo } from './fft';

interface PffftModule {
  HEAPF32: Float32Array;
  _pffft_new_setup(size: number, kind: number): number;
  _pffft_destroy_setup(setup: number): void;
  _pffft_aligned_malloc(bytes: number): number;
  _pffft_aligned_free(ptr: number): void;
  _pffft_transform(setup: number, input: number, output: number, work: number, direction: number): void;
  _pffft_zconvolve_accumulate(setup: number, a: number, b: number, ab: number, scaling: number): void;
}

const REAL = 0;
const FORWARD = 0;
const BACKWARD = 1;
/** PFFFT's smallest real transform. */
const MIN_SIZE = 32;

let modulePromise: Promise<PffftModule> | undefined;
function pffft(): Promise<PffftModule> {
  // The glue looks for its .wasm next to import.meta.url, which points elsewhere once bundled; hand it
  // the binary from the installed package instead (as resample.ts does for the Speex resampler).
  modulePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = join(dirname(require.resolve('@echogarden/pffft-wasm/simd')), 'pffft.wasm');
    return (PFFFT as unknown as (m: object) => Promise<PffftModule>)({ wasmBinary: readFileSync(wasmPath) });
  })();
  return modulePromise;
}

/**
 * The transform size for a filter of `taps` over `length` samples: four times the filter (fewest
 * operations per output sample for overlap-add), or less when one block holds the whole input.
 */
function transformSize(taps: number, length: number): number {
  return Math.max(MIN_SIZE, Math.min(nextPowerOfTwo(4 * taps), nextPowerOfTwo(length + taps - 1)));
}

/**
 * Convolves each channel with its filter, keeping the input length (the output's first `length`
 * samples of the full convolution: causal, so a segment filtered alone equals that part of the whole).
 */
export async function convolveChannels(channels: Float32Array[], filters: Float32Array[]): Promise<Float32Array[]> {
  if (filters.length !== channels.length) throw new Error('convolveChannels: one filter per channel');
  const m = await pffft();
  return channels.map((input, c) => convolveOne(m, input, filters[c]!));
}

function convolveOne(m: PffftModule, input: Float32Array, filter: Float32Array): Float32Array {
  const out = new Float32Array(input.length);
  if (input.length === 0 || filter.length === 0) return out;
  const size = transformSize(filter.length, input.length);
  const block = size - filter.length + 1;
  const setup = m._pffft_new_setup(size, REAL);
  if (!setup) throw new Error(`PFFFT cannot transform ${size} points`);
  const bytes = size * 4;
  const alloc = () => m._pffft_aligned_malloc(bytes);
  const [time, spectrum, filterSpectrum, product, work] = [alloc(), alloc(), alloc(), alloc(), alloc()];
  // Views are made after every allocation: growing the wasm memory detaches older views.
  const view = (ptr: number) => new Float32Array(m.HEAPF32.buffer, ptr, size);
  try {
    view(time).fill(0).set(filter);
    m._pffft_transform(setup, time, filterSpectrum, work, FORWARD);
    for (let start = 0; start < input.length; start += block) {
      view(time)
        .fill(0)
        .set(input.subarray(start, Math.min(input.length, start + block)));
      m._pffft_transform(setup, time, spectrum, work, FORWARD);
      view(product).fill(0);
      // PFFFT's transforms are unscaled: the 1/size goes into the product.
      m._pffft_zconvolve_accumulate(setup, spectrum, filterSpectrum, product, 1 / size);
      m._pffft_transform(setup, product, time, work, BACKWARD);
      const y = view(time);
      const n = Math.min(size, input.length - start);
      for (let i = 0; i < n; i++) out[start + i]! += y[i]!;
    }
  } finally {
    for (const ptr of [time, spectrum, filterSpectrum, product, work]) m._pffft_aligned_free(ptr);
    m._pffft_destroy_setup(setup);
  }
  return out;
}
