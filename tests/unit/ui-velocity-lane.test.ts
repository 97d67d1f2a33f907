// The velocity lane's stems drawn as side-by-side runs must cover exactly what the 2 px wide,
// overlapping stems covered.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../renderer/src/lib/pianoroll/generate';
import { stemRuns } from '../../renderer/src/lib/pianoroll/notes-layer';

type Run = [x0: number, x1: number, height: number];

const runsOf = (stems: Uint8Array, offset: number, columns: number): Run[] => {
  const runs: Run[] = [];
  stemRuns(stems, offset, columns, (x0, x1, height) => runs.push([x0, x1, height]));
  return runs;
};

describe('velocity lane outline', () => {
  it('merges equal neighbours and lets each stem reach one column to its right', () => {
    expect(runsOf(Uint8Array.from([0, 5, 3, 3, 0, 0, 7]), 0, 7)).toEqual([
      [1, 3, 5],
      [3, 5, 3],
      [6, 8, 7],
    ]);
    expect(runsOf(new Uint8Array(10), 0, 10)).toEqual([]);
  });

  it('reads one hand at its offset in the shared buffer', () => {
    const buffer = Uint8Array.from([9, 9, 9, 0, 4, 0]);
    expect(runsOf(buffer, 3, 3)).toEqual([[1, 3, 4]]);
  });

  it('covers every pixel column exactly as high as the overlapping 2 px stems did', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 50; trial++) {
      const columns = 1 + Math.floor(random() * 300);
      const stems = Uint8Array.from({ length: columns }, () => (random() < 0.4 ? 0 : 1 + Math.floor(random() * 127)));
      // Brute force: a stem at x covers pixel columns x and x + 1.
      const expected = new Uint8Array(columns + 1);
      for (let x = 0; x < columns; x++) for (const c of [x, x + 1]) expected[c] = Math.max(expected[c]!, stems[x]!);
      const drawn = new Uint8Array(columns + 1);
      let previousEnd = 0;
      for (const [x0, x1, height] of runsOf(stems, 0, columns)) {
        expect(x0).toBeGreaterThanOrEqual(previousEnd); // runs never overlap
        expect(x1).toBeGreaterThan(x0);
        expect(height).toBeGreaterThan(0);
        drawn.fill(height, x0, x1);
        previousEnd = x1;
      }
      expect(Array.from(drawn)).toEqual(Array.from(expected));
    }
  });
});
