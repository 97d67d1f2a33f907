import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BridgeEventFrame, BridgeRequest, BridgeResponse } from '../contract';
import { fail } from '../contract';
import { answerByteRange } from '../shared/byte-range';
import { contentSecurityPolicy } from '../shared/csp';
import type { Studio } from '../services/studio';
import { isAuthorized, newSessionToken, requestToken, sessionCookie } from './token';

export const BRIDGE_PATH = '/bridge';
/** Bigger frames than this are refused: no call of the contract needs them. */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

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

function parseRequest(data: string): BridgeRequest | undefined {
  try {
    const frame = JSON.parse(data) as Partial<BridgeRequest>;
    if (typeof frame.id !== 'number' || typeof frame.method !== 'string') return undefined;
    return { id: frame.id, method: frame.method, args: frame.args };
  } catch {
    return undefined;
  }
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
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req, socket, head) => {
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
  const file = audio ? studio.resolveBlob(audio[1]!) : studio.resolveDownload(download![1]!);
  if (!file) {
    res.statusCode = 404;
    res.end('not found\n');
    return true;
  }
  const answer = answerByteRange(file, req.headers.range, audio ? 'audio/wav' : 'application/octet-stream');
  res.writeHead(answer.status, {
    ...answer.headers,
    ...(download ? { 'Content-Disposition': `attachment; filename="${basename(file).replace(/"/g, '')}"` } : {}),
  });
  if (!answer.range || req.method === 'HEAD') {
    res.end();
    return true;
  }
  createReadStream(file, answer.range).pipe(res);
  return true;
}

function serveBridge(ws: WebSocket, studio: Studio): void {
  const unsubscribe = studio.events.subscribe((event) => {
    const frame: BridgeEventFrame = { event };
    ws.send(JSON.stringify(frame));
  });
  ws.on('close', unsubscribe);
  ws.on('message', async (data) => {
    const request = parseRequest(data.toString());
    if (!request) {
      const response: BridgeResponse = { id: -1, result: fail('invalid-argument', 'malformed bridge frame') };
      ws.send(JSON.stringify(response));
      return;
    }
    const result = await studio.dispatch(request.method, request.args);
    const response: BridgeResponse = { id: request.id, result };
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
  });
}
