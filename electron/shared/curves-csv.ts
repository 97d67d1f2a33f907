// The CSV of per-beat curves: one format for the CLI (`align --curves`, `works curves --out`) and the
// Works view's download. A header line, one row per beat, an empty field where a value does not exist
// (no notes in the beat, the last beat's tempo).

export const CURVE_COLUMNS = [
  'beat',
  'bar',
  'beatInBar',
  'refTime',
  'perfTime',
  'bpm',
  'refBpm',
  'velocity',
  'notes',
  'asynchronyMs',
] as const;

export type CurveValues = Record<(typeof CURVE_COLUMNS)[number], number | null>;

const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const fields = (row: CurveValues) => CURVE_COLUMNS.map((c) => (row[c] === null ? '' : String(row[c])));

/** One performance's curves. */
export function curvesCsv(rows: readonly CurveValues[]): string {
  return `${[CURVE_COLUMNS.join(','), ...rows.map((row) => fields(row).join(','))].join('\n')}\n`;
}

/** Several performances' curves in one table: piece id and title first on every row. */
export function performancesCurvesCsv(
  performances: ReadonlyArray<{ pieceId: string; title: string; curves: readonly CurveValues[] }>,
): string {
  const lines = [['pieceId', 'title', ...CURVE_COLUMNS].join(',')];
  for (const p of performances)
    for (const row of p.curves) lines.push([p.pieceId, quote(p.title), ...fields(row)].join(','));
  return `${lines.join('\n')}\n`;
}
