// studio-audio:// — what Electron's protocol handler answers, with real Request/Response objects.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerAudioRequest } from '../../electron/main/audio-response';

const dir = mkdtempSync(join(tmpdir(), 'mv-proto-'));
const hash = 'a'.repeat(64);
const file = join(dir, 'blob');
writeFileSync(file, Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256)));
const resolveBlob = (h: string) => (h === hash ? file : undefined);

describe('studio-audio protocol', () => {
  it('serves a library blob whole and by range', async () => {
    const whole = answerAudioRequest(new Request(`studio-audio://blob/${hash}`), resolveBlob);
    expect(whole.status).toBe(200);
    expect((await whole.arrayBuffer()).byteLength).toBe(1000);
    const part = answerAudioRequest(
      new Request(`studio-audio://blob/${hash}`, { headers: { range: 'bytes=10-19' } }),
      resolveBlob,
    );
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('answers 404 for anything that is not a known blob hash', () => {
    for (const url of [
      `studio-audio://blob/${'b'.repeat(64)}`,
      'studio-audio://blob/../../etc/passwd',
      'studio-audio://file/etc/passwd',
      `studio-audio://other/${hash}`,
      'studio-audio://blob/%2e%2e%2fetc%2fpasswd',
    ]) {
      expect(answerAudioRequest(new Request(url), resolveBlob).status).toBe(404);
    }
  });

  it('refuses an unsatisfiable range with 416', () => {
    const answer = answerAudioRequest(
      new Request(`studio-audio://blob/${hash}`, { headers: { range: 'bytes=5000-6000' } }),
      resolveBlob,
    );
    expect(answer.status).toBe(416);
  });
});
