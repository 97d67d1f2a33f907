// Small dense least squares for the tone fit: band values g minimising |A·g − r|² + λ|D₂g|² + ε|g|²,
// where D₂ takes second differences across neighbouring bands (a smooth curve) and ε keeps bands
// that no data reaches at 0 dB.
export function solveSmooth(rows: Float64Array[], r: ArrayLike<number>, lambda: number, epsilon = 1e-3): number[] {
  const n = rows[0]!.length;
  const m = Array.from({ length: n }, () => new Float64Array(n + 1));
  rows.forEach((row, k) => {
    for (let i = 0; i < n; i++) {
      if (row[i] === 0) continue;
      for (let j = 0; j < n; j++) m[i]![j]! += row[i]! * row[j]!;
      m[i]![n]! += row[i]! * r[k]!;
    }
  });
  for (let i = 1; i + 1 < n; i++) {
    const d = [i - 1, i, i + 1];
    const w = [1, -2, 1];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) m[d[a]!]![d[b]!]! += lambda * w[a]! * w[b]!;
  }
  for (let i = 0; i < n; i++) m[i]![i]! += epsilon;
  // Gaussian elimination with partial pivoting (the matrix is symmetric positive definite).
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[pivot]![c]!)) pivot = i;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let i = c + 1; i < n; i++) {
      const f = m[i]![c]! / m[c]![c]!;
      for (let j = c; j <= n; j++) m[i]![j]! -= f * m[c]![j]!;
    }
  }
  const g = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = m[i]![n]!;
    for (let j = i + 1; j < n; j++) sum -= m[i]![j]! * g[j]!;
    g[i] = sum / m[i]![i]!;
  }
  return g;
}
