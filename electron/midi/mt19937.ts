// Mersenne Twister MT19937 seeded like numpy's legacy np.random.seed(int) (init_genrand), and
// numpy's random_sample/uniform on top of it: the official segmenter's random boundaries depend on
// reproducing numpy bit for bit (midi-valle-data.md §2.2).

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class MT19937 {
  private readonly state = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      // 1812433253 · prev + i, modulo 2^32, without losing bits to double rounding
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.state;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & UPPER_MASK) | (mt[(i + 1) % N]! & LOWER_MASK);
      mt[i] = mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.index = 0;
  }

  /** genrand_int32: the next 32-bit output. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy random_sample: a double in [0, 1) from two outputs (27 + 26 bits). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** numpy RandomState.uniform(low, high): low + (high − low) · random_sample. */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.nextDouble();
  }
}
