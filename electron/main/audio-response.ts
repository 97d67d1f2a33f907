import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { answerByteRange } from '../shared/byte-range';

/**
 * The answer to a studio-audio:// request: studio-audio://blob/<sha256> serves that library blob (with
 * Range support for seeking), and anything else is 404 — no URL ever names a path on disk.
 */
export function answerAudioRequest(request: Request, resolveBlob: (hash: string) => string | undefined): Response {
  const url = new URL(request.url);
  const hash = url.pathname.replace(/^\//, '');
  const path = url.host === 'blob' && /^[0-9a-f]{64}$/.test(hash) ? resolveBlob(hash) : undefined;
  if (!path) return new Response('not found', { status: 404 });
  const answer = answerByteRange(path, request.headers.get('range') ?? undefined, 'audio/wav');
  if (!answer.range) return new Response(null, { status: answer.status, headers: answer.headers });
  const stream = Readable.toWeb(createReadStream(path, answer.range)) as ReadableStream;
  return new Response(stream, { status: answer.status, headers: answer.headers });
}
