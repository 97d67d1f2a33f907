// Issue 14, findings 1–3: the browser host survives oversized and malformed frames and filesystem
// surprises at blob paths, and a 150 MB recording goes up from the renderer's own bridge in chunks.
// After every bad request the host must still answer another client.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BRIDGE_MAX_FRAME_BYTES } from '../../electron/contract';
import { createStudio, type Studio } from '../../electron/services/studio';
import { startWebHost, type WebHost } from '../../electron/web-host/server';
import { createWebSocketBridge } from '../../renderer/src/lib/ws-bridge';
import { testdata } from '../support/shared-data';

let host: WebHost;
let studio: Studio;
const root = mkdtempSync(join(tmpdir(), 'mv-sec-web-'));

beforeAll(async () => {
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
  studio = createStudio({ home: join(root, 'home'), host: 'web', demoContent: false });
  host = await startWebHost({ studio, rendererDir });
});
afterAll(async () => {
  await host.close();
  await studio.close();
});

const base = () => `http://127.0.0.1:${host.port}`;
const headers = () => ({ origin: base(), cookie: `midi_valle_token=${host.token}` });

function openSocket(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge`, { headers: headers() });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Waits for the host to close this socket; resolves with the close code. */
const closed = (ws: WebSocket): Promise<number> =>
  new Promise((resolve) => {
    ws.on('error', () => undefined); // the client side sees the close as an error too
    ws.once('close', (code) => resolve(code));
  });

/** The host still serves: a fresh socket answers a call, and a page request is answered. */
async function expectHostUp(): Promise<void> {
  const ws = await openSocket();
  const answer = await new Promise<{ result: { ok: boolean } }>((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ id: 7, method: 'app.echo', args: { text: 'still here' } }));
  });
  expect(answer.result.ok).toBe(true);
  ws.close();
  const page = await fetch(`${base()}/`, { headers: { cookie: headers().cookie } });
  expect(page.status).toBe(200);
}

/** Node's own WebSocket cannot send the Origin and cookie headers the host requires; ws can. */
class HeaderSocket extends WebSocket {
  constructor(url: string) {
    super(url, { headers: headers() });
  }
}

/** A float WAV of prompt_A's playing followed by silence, `bytes` long: a long take, as a user records one. */
function longRecording(bytes: number): Uint8Array<ArrayBuffer> {
  const wav = readFileSync(testdata('midi-valle/prompt_A.wav'));
  const dataAt = wav.indexOf('data', 12, 'ascii');
  const header = Buffer.from(wav.subarray(0, dataAt + 8));
  const out = Buffer.alloc(bytes);
  header.copy(out);
  wav.copy(out, header.length, dataAt + 8);
  const dataBytes = (bytes - header.length) & ~3;
  out.writeUInt32LE(bytes - 8, 4);
  out.writeUInt32LE(dataBytes, dataAt + 4);
  return new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, header.length + dataBytes);
}

describe('browser host under hostile frames and files', () => {
  it('closes only the socket that sends a frame over the limit (finding 1)', async () => {
    const ws = await openSocket();
    const code = closed(ws);
    ws.send(Buffer.alloc(BRIDGE_MAX_FRAME_BYTES + 1024, 0x20), { binary: false });
    expect(await code).toBe(1009);
    await expectHostUp();
  });

  it('closes only the socket that sends invalid UTF-8 (finding 2)', async () => {
    const ws = await openSocket();
    const code = closed(ws);
    ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0xfd, 0xc0, 0x80, 0x7d, 0x0a]), { binary: false });
    expect(await code).toBe(1007);
    await expectHostUp();
  });

  it('answers a malformed HTTP request with 400 and stays up', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(host.port, '127.0.0.1', () => socket.write('GARBAGE \x00\x01 HTTP/9\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    await expectHostUp();
  });

  it('answers binary and malformed frames with an error value and keeps the socket', async () => {
    const ws = await openSocket();
    for (const frame of [Buffer.from([1, 2, 3]), '{"id":1,"upload":{"fileName":5}}', 'null']) {
      const answer = await new Promise<{ id: number; result: { ok: boolean } }>((resolve) => {
        ws.once('message', (data) => resolve(JSON.parse(data.toString())));
        ws.send(frame);
      });
      expect(answer).toMatchObject({ id: -1, result: { ok: false } });
    }
    ws.close();
  });

  it('answers 404 for a folder or a symlink at a blob path, and stays up (finding 3)', async () => {
    const blobs = join(studio.ctx.home, 'blobs');
    studio.ctx.library();
    const folder = 'ab'.repeat(32);
    mkdirSync(join(blobs, folder.slice(0, 2), folder.slice(2)), { recursive: true });
    const link = 'cd'.repeat(32);
    mkdirSync(join(blobs, link.slice(0, 2)), { recursive: true });
    symlinkSync('/etc/passwd', join(blobs, link.slice(0, 2), link.slice(2)));
    for (const hash of [folder, link]) {
      const res = await fetch(`${base()}/audio/${hash}`, { headers: { cookie: headers().cookie } });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/root:/);
    }
    await expectHostUp();
  });

  it('still serves a real blob, with ranges', async () => {
    const bytes = readFileSync(testdata('midi-valle/prompt_B.wav'));
    const hash = studio.ctx.library().putBlob(bytes);
    const res = await fetch(`${base()}/audio/${hash}`, {
      headers: { cookie: headers().cookie, range: 'bytes=0-3' },
    });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).toString('ascii')).toBe('RIFF');
  });

  it('takes a 150 MB recording from the renderer bridge in chunks and adds the performer', async () => {
    const previous = globalThis.WebSocket;
    globalThis.WebSocket = HeaderSocket as unknown as typeof globalThis.WebSocket;
    try {
      const bridge = createWebSocketBridge(`ws://127.0.0.1:${host.port}/bridge`);
      const recording = longRecording(150_000_000);
      // One frame of the whole file as base64 would be 200 MB: the bridge refuses to send it at all.
      const inline = await bridge.invoke('app.echo', { text: 'x'.repeat(BRIDGE_MAX_FRAME_BYTES + 1) });
      expect(inline).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });

      const audio = await bridge.upload(new File([recording], 'long take.wav'));
      const midi = await bridge.upload(new File([readFileSync(testdata('midi-valle/prompt_A.midi'))], 'take.mid'));
      expect('uploadId' in audio && 'uploadId' in midi).toBe(true);
      const added = await bridge.invoke('performers.add', {
        name: 'Long Take',
        audio,
        midi,
        start: 0,
        licence: 'CC0',
        consent: 'self',
      });
      expect(added).toMatchObject({ ok: true, value: { name: 'Long Take' } });
      // The stored prompt is the first 3 s of exactly the bytes that went up.
      const performer = (added as { value: { promptDuration: number } }).value;
      expect(performer.promptDuration).toBeCloseTo(3, 1);
      // An upload serves one call only, and nothing is left on disk.
      const again = await bridge.invoke('performers.add', {
        name: 'Again',
        audio,
        midi,
        start: 0,
        licence: 'CC0',
        consent: 'self',
      });
      expect(again).toMatchObject({ ok: false, error: { code: 'not-found' } });
    } finally {
      globalThis.WebSocket = previous;
    }
    await expectHostUp();
  }, 120_000);

  it('refuses an upload over the contract limit with one line, and removes its chunks', () => {
    const uploads = studio.ctx.uploads;
    const first = uploads.append(undefined, 'huge.wav', new Uint8Array(150_000_000));
    expect(() => uploads.append(first.uploadId, 'huge.wav', new Uint8Array(60_000_000))).toThrow(
      /huge.wav is over 200 MB/,
    );
    expect(() => uploads.take(first.uploadId)).toThrow(/no upload/);
    const left = readdirSync(join(studio.ctx.home, 'uploads'), { recursive: true, withFileTypes: true });
    expect(left.filter((e) => e.isFile())).toEqual([]);
  });
});
