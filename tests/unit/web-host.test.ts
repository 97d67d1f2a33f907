import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createStudio } from '../../electron/services/studio';
import { startWebHost, type WebHost } from '../../electron/web-host/server';

let host: WebHost;
const root = mkdtempSync(join(tmpdir(), 'mv-webhost-'));

beforeAll(async () => {
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
  const studio = createStudio({ home: join(root, 'home'), host: 'web' });
  host = await startWebHost({ studio, rendererDir });
});
afterAll(() => host.close());

const base = () => `http://127.0.0.1:${host.port}`;

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(
  ws: WebSocket,
  frame: unknown,
): Promise<{ id: number; result: { ok: boolean; value?: any; error?: { code: string; message: string } } }> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('browser host', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(host.url.startsWith('http://127.0.0.1:')).toBe(true);
  });

  it('refuses a page request without the token', async () => {
    const res = await fetch(`${base()}/`);
    expect(res.status).toBe(401);
    expect((await fetch(`${base()}/index.html?token=wrong`)).status).toBe(401);
  });

  it('trades a correct token for a cookie, then serves with the CSP header', async () => {
    const first = await fetch(`${base()}/?token=${host.token}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${base()}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/object-src 'none'/);
  });

  it('refuses a socket without the token or from a foreign origin', async () => {
    await expect(openSocket({ origin: base() })).rejects.toThrow(/401/);
    await expect(
      openSocket({ origin: 'http://evil.example', cookie: `midi_valle_token=${host.token}` }),
    ).rejects.toThrow(/401/);
  });

  it('answers calls on an authorised socket and rejects malformed arguments', async () => {
    const ws = await openSocket({ origin: base(), cookie: `midi_valle_token=${host.token}` });
    const good = await call(ws, { id: 1, method: 'app.echo', args: { text: 'hi' } });
    expect(good).toMatchObject({ id: 1, result: { ok: true } });
    const bad = await call(ws, { id: 2, method: 'app.echo', args: { text: ['not', 'text'] } });
    expect(bad).toMatchObject({ id: 2, result: { ok: false, error: { code: 'invalid-argument' } } });
    const garbage = await call(ws, '{not json');
    expect(garbage).toMatchObject({ id: -1, result: { ok: false, error: { code: 'invalid-argument' } } });
    ws.close();
  });

  it('says it is the browser host, and answers the OS dialog methods with unsupported', async () => {
    const ws = await openSocket({ origin: base(), cookie: `midi_valle_token=${host.token}` });
    const info = await call(ws, { id: 1, method: 'app.info', args: {} });
    expect(info.result.value.host).toBe('web');
    const files = await call(ws, { id: 2, method: 'dialogs.openFiles', args: { kind: 'midi', multiple: true } });
    expect(files.result).toEqual({
      ok: false,
      error: {
        code: 'unsupported',
        message: 'dialogs.openFiles: the browser host has no OS dialogs; pick files with the file inputs',
      },
    });
    const folder = await call(ws, { id: 3, method: 'dialogs.choosePath', args: { kind: 'export-folder' } });
    expect(folder.result).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    // Arguments are still checked first, as for every method.
    const bad = await call(ws, { id: 4, method: 'dialogs.choosePath', args: { kind: '/etc' } });
    expect(bad.result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    ws.close();
  });
});
