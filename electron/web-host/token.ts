import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WEB_TOKEN_COOKIE, WEB_TOKEN_PARAM } from '../contract';

export const newSessionToken = (): string => randomBytes(24).toString('base64url');

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === WEB_TOKEN_COOKIE) return rest.join('=');
  }
  return undefined;
}

/** The token of a request, from ?token= (first visit) or the session cookie (everything after). */
export function requestToken(req: IncomingMessage): { token?: string; fromQuery: boolean } {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const query = url.searchParams.get(WEB_TOKEN_PARAM);
  if (query) return { token: query, fromQuery: true };
  return { token: cookieToken(req), fromQuery: false };
}

export function isAuthorized(req: IncomingMessage, expected: string): boolean {
  const { token } = requestToken(req);
  return token !== undefined && sameToken(token, expected);
}

export const sessionCookie = (token: string): string =>
  `${WEB_TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
