// Files the browser host received in upload chunks, kept on disk until the call that names them
// (pieces.import, performers.add) takes them. A 200 MB recording never sits in one WebSocket frame or
// one base64 string; each upload is bounded by the contract's file limit, and the number open at once
// is bounded too, so a client cannot fill the disk by starting uploads it never finishes.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StudioFailure } from '../contract/result';
import { FILE_DATA_MAX_BYTES } from '../contract/methods/common';
import { storageFailure } from '../library';

const MAX_OPEN_UPLOADS = 8;
/** Upload folders of processes that ended without cleaning up are removed after a day. */
const STALE_MS = 24 * 3600_000;

interface Upload {
  path: string;
  fileName: string;
  bytes: number;
}

export class UploadStore {
  private readonly root: string;
  private dir: string | undefined;
  private readonly open = new Map<string, Upload>();

  constructor(private readonly home: string) {
    this.root = join(home, 'uploads');
  }

  /** Appends one chunk; the first chunk (no uploadId) starts an upload. Returns its id and size so far. */
  append(uploadId: string | undefined, fileName: string, chunk: Uint8Array): { uploadId: string; bytes: number } {
    let upload = uploadId ? this.open.get(uploadId) : undefined;
    if (uploadId && !upload) throw new StudioFailure('not-found', `no upload ${uploadId} is in progress`);
    if (!upload) {
      if (this.open.size >= MAX_OPEN_UPLOADS)
        throw new StudioFailure('unavailable', `${MAX_OPEN_UPLOADS} uploads are already in progress; wait for them`);
      uploadId = randomBytes(16).toString('hex');
      let folder: string;
      try {
        folder = this.folder();
      } catch (error) {
        throw storageFailure(error, this.home);
      }
      upload = { path: join(folder, uploadId), fileName, bytes: 0 };
      this.open.set(uploadId, upload);
    }
    if (upload.bytes + chunk.byteLength > FILE_DATA_MAX_BYTES) {
      this.discard(uploadId!);
      throw new StudioFailure(
        'bad-input',
        `${fileName} is over ${FILE_DATA_MAX_BYTES / 1e6} MB, the largest file the studio takes; pick a shorter file`,
      );
    }
    try {
      appendFileSync(upload.path, chunk);
    } catch (error) {
      this.discard(uploadId!);
      throw storageFailure(error, this.home);
    }
    upload.bytes += chunk.byteLength;
    return { uploadId: uploadId!, bytes: upload.bytes };
  }

  /** The bytes of a finished upload; it is removed, so each upload serves one call. */
  take(uploadId: string): Uint8Array {
    const upload = this.open.get(uploadId);
    if (!upload) throw new StudioFailure('not-found', `no upload ${uploadId}; add the file again`);
    try {
      return readFileSync(upload.path);
    } finally {
      this.discard(uploadId);
    }
  }

  discard(uploadId: string): void {
    const upload = this.open.get(uploadId);
    if (!upload) return;
    this.open.delete(uploadId);
    rmSync(upload.path, { force: true });
  }

  close(): void {
    for (const id of [...this.open.keys()]) this.discard(id);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  /** This process's own folder (several processes may share a library), made on first use. */
  private folder(): string {
    if (this.dir) return this.dir;
    mkdirSync(this.root, { recursive: true });
    for (const name of readdirSync(this.root)) {
      const path = join(this.root, name);
      try {
        if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
      } catch {
        // removed by its owner meanwhile
      }
    }
    this.dir = join(this.root, `${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(this.dir);
    return this.dir;
  }
}
