import { protocol } from 'electron';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { answerByteRange } from '../shared/byte-range';

export const AUDIO_SCHEME = 'studio-audio';

/** Must run before app 'ready': lets audio elements stream and seek from the scheme. */
export function registerAudioScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: AUDIO_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}

/** studio-audio://blob/<sha256> serves a library blob, and nothing else: no paths reach the disk. */
export function handleAudioScheme(resolveBlob: (hash: string) => string | undefined): void {
  protocol.handle(AUDIO_SCHEME, (request) => {
    const url = new URL(request.url);
    const hash = url.pathname.replace(/^\//, '');
    const path = url.host === 'blob' && /^[0-9a-f]{64}$/.test(hash) ? resolveBlob(hash) : undefined;
    if (!path) return new Response('not found', { status: 404 });
    const answer = answerByteRange(path, request.headers.get('range') ?? undefined, 'audio/wav');
    if (!answer.range) return new Response(null, { status: answer.status, headers: answer.headers });
    const stream = Readable.toWeb(createReadStream(path, answer.range)) as ReadableStream;
    return new Response(stream, { status: answer.status, headers: answer.headers });
  });
}
