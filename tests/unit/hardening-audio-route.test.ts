// Security of the browser host's /audio/<hash> route and of answerByteRange: only library blobs are
// served (raw, unnormalised paths that try to climb out get nothing from outside the library), an
// unknown hash is a 404, and Range requests get 206 with the right Content-Range (or 416).
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibrary, sha256Hex } from '../../electron/library';
import { createStudio } from '../../electron/services/studio';
import { answerByteRange } from '../../electron/shared/byte-range';
import { startWebHost, type WebHost } from '../../electron/web-host/server';
import { testdata } from '../support/shared-data';

const root = mkdtempSync(join(tmpdir(), 'mv-audio-route-'));
const home = join(root, 'home');
const wav = new Uint8Array(readFileSync(testdata('midi-valle/prompt_B.wav')));
let hash: string;
let host: WebHost;
let cookie: string;

beforeAll(async () => {
  const lib = openLibrary(home);
  hash = lib.putBlob(wav);
  lib.close();
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
  // a file beside the library a path escape would aim at
  writeFileSync(join(root, 'secret.txt'), 'SECRET-OUTSIDE-THE-LIBRARY');
  host = await startWebHost({ studio: createStudio({ home, host: 'web', demoContent: false }), rendererDir });
  const first = await fetch(`http://127.0.0.1:${host.port}/?token=${host.token}`, { redirect: 'manual' });
  cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
});
afterAll(() => host.close());

/** A raw GET: the path is sent exactly as written (fetch would normalise "..", this does not). */
function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers: { cookie, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/audio/<hash> on the browser host', () => {
  it('serves a library blob whole, as the stored bytes', async () => {
    const res = await get(`/audio/${hash}`);
    expect(res.status).toBe(200);
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(sha256Hex(res.body)).toBe(hash);
  });

  it('answers a Range request with 206 and the right Content-Range', async () => {
    const mid = await get(`/audio/${hash}`, { range: 'bytes=100-199' });
    expect(mid.status).toBe(206);
    expect(mid.headers['content-range']).toBe(`bytes 100-199/${wav.length}`);
    expect(mid.headers['content-length']).toBe('100');
    expect(Buffer.compare(mid.body, Buffer.from(wav.subarray(100, 200)))).toBe(0);
    const open = await get(`/audio/${hash}`, { range: `bytes=${wav.length - 10}-` });
    expect(open.status).toBe(206);
    expect(open.headers['content-range']).toBe(`bytes ${wav.length - 10}-${wav.length - 1}/${wav.length}`);
    const suffix = await get(`/audio/${hash}`, { range: 'bytes=-44' });
    expect(suffix.status).toBe(206);
    expect(Buffer.compare(suffix.body, Buffer.from(wav.subarray(wav.length - 44)))).toBe(0);
    const beyond = await get(`/audio/${hash}`, { range: `bytes=${wav.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${wav.length}`);
    expect(beyond.body.length).toBe(0);
  });

  it('gives 404 for a well-formed hash that is not in the library', async () => {
    const res = await get(`/audio/${'0'.repeat(64)}`);
    expect(res.status).toBe(404);
  });

  it('serves nothing from outside the library for path escapes', async () => {
    const escapes = [
      '/audio/../../etc/passwd',
      '/audio/..%2f..%2f..%2fetc%2fpasswd',
      '/audio/%2e%2e/%2e%2e/secret.txt',
      '/audio/../secret.txt',
      '/audio/../../secret.txt',
      `/audio/${hash}/../../secret.txt`,
      `/audio/${hash}%00.txt`,
      `/audio/${hash.toUpperCase()}`,
      `/audio/${hash.slice(0, 2)}/${hash.slice(2)}`,
      '/audio//etc/passwd',
      '/audio/%2fetc%2fpasswd',
      '/blobs/' + hash.slice(0, 2) + '/' + hash.slice(2),
      '/../home/library.sqlite',
      '/%2e%2e/secret.txt',
    ];
    for (const path of escapes) {
      const res = await get(path);
      const text = res.body.toString('latin1');
      expect(text, path).not.toContain('root:');
      expect(text, path).not.toContain('SECRET-OUTSIDE-THE-LIBRARY');
      expect(text, path).not.toContain('SQLite format');
      expect(res.status === 200 && res.body.length === wav.length, path).toBe(false);
    }
  });

  it('needs the session token like every other route', async () => {
    const res = await get(`/audio/${hash}`, { cookie: '' });
    expect(res.status).toBe(401);
    expect(res.body.toString()).not.toContain('RIFF');
  });
});

describe('answerByteRange', () => {
  const file = join(root, 'ten.bin');
  writeFileSync(file, Buffer.from('0123456789'));
  const empty = join(root, 'empty.bin');
  writeFileSync(empty, Buffer.alloc(0));

  it('answers the whole file without a Range header', () => {
    const a = answerByteRange(file, undefined, 'audio/wav');
    expect(a.status).toBe(200);
    expect(a.range).toEqual({ start: 0, end: 9 });
    expect(a.headers['Content-Length']).toBe('10');
  });

  it('answers single ranges with 206 and clamps an end past the file', () => {
    expect(answerByteRange(file, 'bytes=2-4', 'x')).toMatchObject({
      status: 206,
      range: { start: 2, end: 4 },
      headers: { 'Content-Range': 'bytes 2-4/10', 'Content-Length': '3' },
    });
    expect(answerByteRange(file, 'bytes=8-100', 'x')).toMatchObject({
      status: 206,
      range: { start: 8, end: 9 },
      headers: { 'Content-Range': 'bytes 8-9/10' },
    });
    expect(answerByteRange(file, 'bytes=-3', 'x').range).toEqual({ start: 7, end: 9 });
  });

  it('refuses unsatisfiable, malformed, multi-range and non-byte ranges with 416', () => {
    for (const header of ['bytes=10-', 'bytes=5-2', 'bytes=abc', 'items=0-1', 'bytes=0-1,5-6', 'bytes=']) {
      const a = answerByteRange(file, header, 'x');
      expect(a.status, header).toBe(416);
      expect(a.range, header).toBeUndefined();
      expect(a.headers['Content-Range'], header).toBe('bytes */10');
    }
  });

  it('never hands out an inverted range for an empty file', () => {
    const whole = answerByteRange(empty, undefined, 'x');
    expect(whole.status).toBe(200);
    expect(whole.headers['Content-Length']).toBe('0');
    expect(whole.range === undefined || whole.range.end >= whole.range.start).toBe(true);
    expect(answerByteRange(empty, 'bytes=0-', 'x').status).toBe(416);
  });
});
