import { createReadStream, existsSync, lstatSync } from 'node:fs';
import { basename } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BridgeEventFrame, BridgeRequest, BridgeResponse, BridgeUploadRequest, Result } from '../contract';
import { BRIDGE_MAX_FRAME_BYTES, fail, ok, StudioFailure } from '../contract';
import { answerByteRange } from '../shared/byte-range';
import { contentSecurityPolicy } from '../shared/csp';
import type { Studio } from '../services/studio';
import { isAuthorized, newSessionToken, requestToken, sessionCookie } from './token';

export const BRIDGE_PATH = '/bridge';

export interface WebHostOptions {
  studio: Studio;
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function securityHeaders(res: ServerResponse, port: number): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

function allowedOrigin(origin: string | undefined, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

function parseRequest(data: string): BridgeRequest | BridgeUploadRequest | undefined {
  try {
    const frame = JSON.parse(data) as Partial<BridgeRequest & BridgeUploadRequest>;
    if (typeof frame.id !== 'number') return undefined;
    const upload = frame.upload as Partial<BridgeUploadRequest['upload']> | undefined;
    if (upload && typeof upload === 'object') {
      const { uploadId, fileName, chunkBase64 } = upload;
      if (uploadId !== undefined && typeof uploadId !== 'string') return undefined;
      if (typeof fileName !== 'string' || fileName.length === 0 || fileName.length > 255) return undefined;
      if (typeof chunkBase64 !== 'string') return undefined;
      return { id: frame.id, upload: { uploadId, fileName, chunkBase64 } };
    }
    if (typeof frame.method !== 'string') return undefined;
    return { id: frame.id, method: frame.method, args: frame.args };
  } catch {
    return undefined;
  }
}

/** A socket or stream failure ends that one connection; the host itself never goes down for it. */
function logConnectionError(where: string, error: Error): void {
  if (process.env.MIDI_VALLE_DEBUG) console.error(`browser host: ${where}: ${error.message}`);
}

/**
 * Serves the built renderer and the studio API over a WebSocket, on 127.0.0.1 only.
 * Every HTTP request and socket needs the session token (query on first visit, cookie after).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newSessionToken();
  if (!existsSync(`${options.rendererDir}/index.html`)) {
    throw new Error(`the renderer is not built (${options.rendererDir}); run: npm run build:renderer`);
  }
  const serveStatic = sirv(options.rendererDir, { dev: false, etag: true, gzip: false, brotli: false });
  let port = 0;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    securityHeaders(res, port);
    if (!isAuthorized(req, token)) {
      res.statusCode = 401;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('This studio session needs its token: open the URL that `npm run studio:web` printed.\n');
      return;
    }
    if (requestToken(req).fromQuery) {
      // Trade the token in the URL for a cookie, then drop it from the address bar.
      res.setHeader('Set-Cookie', sessionCookie(token));
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      url.searchParams.delete('token');
      res.statusCode = 303;
      res.setHeader('Location', url.pathname + url.search);
      res.end();
      return;
    }
    if (serveLibraryFile(req, res, options.studio)) return;
    serveStatic(req, res, () => {
      res.statusCode = 404;
      res.end('not found\n');
    });
  };

  const server: Server = createServer(onRequest);
  // A malformed HTTP request answers 400 on that connection (Node's default) and is logged, never thrown.
  server.on('clientError', (error, socket) => {
    logConnectionError('client', error);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_FRAME_BYTES });
  sockets.on('error', (error) => logConnectionError('websocket server', error));
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', (error) => logConnectionError('upgrade', error));
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== BRIDGE_PATH || !isAuthorized(req, token) || !allowedOrigin(req.headers.origin, port)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveBridge(ws, options.studio));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** /audio/<sha256> (library blobs, seekable) and /downloads/<id> (exported files). */
function serveLibraryFile(req: IncomingMessage, res: ServerResponse, studio: Studio): boolean {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const audio = /^\/audio\/([0-9a-f]{64})$/.exec(path);
  const download = /^\/downloads\/([A-Za-z0-9_-]{1,64})$/.exec(path);
  if (!audio && !download) return false;
  const notFound = (): true => {
    res.statusCode = 404;
    res.end('not found\n');
    return true;
  };
  let file: string | undefined;
  let answer: ReturnType<typeof answerByteRange>;
  try {
    file = audio ? studio.resolveBlob(audio[1]!) : studio.resolveDownload(download![1]!);
    // Only regular files are served: a folder or a symlink at the path is "not found".
    if (!file || !lstatSync(file).isFile()) return notFound();
    answer = answerByteRange(file, req.headers.range, audio ? 'audio/wav' : 'application/octet-stream');
  } catch {
    return notFound();
  }
  res.writeHead(answer.status, {
    ...answer.headers,
    ...(download ? { 'Content-Disposition': `attachment; filename="${basename(file).replace(/"/g, '')}"` } : {}),
  });
  if (!answer.range || req.method === 'HEAD') {
    res.end();
    return true;
  }
  const stream = createReadStream(file, answer.range);
  // A file removed or unreadable mid-answer ends this response only.
  stream.on('error', (error) => {
    logConnectionError('file', error);
    res.destroy();
  });
  res.on('error', (error) => logConnectionError('response', error));
  stream.pipe(res);
  return true;
}

function serveBridge(ws: WebSocket, studio: Studio): void {
  const send = (frame: BridgeResponse | BridgeEventFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const unsubscribe = studio.events.subscribe((event) => send({ event }));
  // Uploads this socket started and no call took: removed when it goes.
  const uploads = new Set<string>();
  // An oversized frame (1009), invalid UTF-8 (1007) or a reset connection closes this socket only.
  ws.on('error', (error) => {
    logConnectionError('websocket', error);
    ws.terminate();
  });
  ws.on('close', () => {
    unsubscribe();
    for (const id of uploads) studio.ctx.uploads.discard(id);
  });
  ws.on('message', async (data, isBinary) => {
    const request = isBinary ? undefined : parseRequest(data.toString());
    if (!request) {
      send({ id: -1, result: fail('invalid-argument', 'malformed bridge frame') });
      return;
    }
    if ('upload' in request) {
      send({ id: request.id, result: receiveChunk(studio, request.upload, uploads) });
      return;
    }
    const result = await studio.dispatch(request.method, request.args);
    send({ id: request.id, result });
  });
}

function receiveChunk(studio: Studio, upload: BridgeUploadRequest['upload'], mine: Set<string>): Result<unknown> {
  try {
    const chunk = Buffer.from(upload.chunkBase64, 'base64');
    const answer = studio.ctx.uploads.append(upload.uploadId, upload.fileName, chunk);
    mine.add(answer.uploadId);
    return ok(answer);
  } catch (error) {
    if (error instanceof StudioFailure) return fail(error.code, error.message);
    return fail('runtime', `upload failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
