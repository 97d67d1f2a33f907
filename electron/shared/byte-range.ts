import { statSync } from 'node:fs';
import parseRange from 'range-parser';

export interface ByteRangeAnswer {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  /** Inclusive byte range to send; absent for 416. */
  range?: { start: number; end: number };
}

/**
 * Answers a (possibly ranged) request for a file, so that audio elements can seek in long takes:
 * Electron's protocol.handle and the browser host both serve library audio through this.
 */
export function answerByteRange(path: string, rangeHeader: string | undefined, contentType: string): ByteRangeAnswer {
  const size = statSync(path).size;
  const base = {
    'Accept-Ranges': 'bytes',
    'Content-Type': contentType,
    'Cache-Control': 'private, max-age=31536000, immutable',
  };
  if (!rangeHeader) {
    // An empty file has no byte to send: no range, since {start: 0, end: -1} makes createReadStream throw.
    const range = size > 0 ? { start: 0, end: size - 1 } : undefined;
    return { status: 200, headers: { ...base, 'Content-Length': String(size) }, range };
  }
  const ranges = parseRange(size, rangeHeader, { combine: true });
  if (ranges === -1 || ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) {
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` } };
  }
  const { start, end } = ranges[0]!;
  return {
    status: 206,
    headers: { ...base, 'Content-Length': String(end - start + 1), 'Content-Range': `bytes ${start}-${end}/${size}` },
    range: { start, end },
  };
}
