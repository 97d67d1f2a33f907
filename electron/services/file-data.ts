import { StudioFailure } from '../contract';
import type { FileData } from '../contract/methods/common';
import type { ServiceContext } from './handlers';

/** Bytes of a file that came over the bridge: inline base64, or an upload the browser host received in chunks. */
export function fileBytes(file: FileData, ctx: Pick<ServiceContext, 'uploads'>): Uint8Array {
  const bytes = 'uploadId' in file ? ctx.uploads.take(file.uploadId) : Buffer.from(file.dataBase64, 'base64');
  if (bytes.byteLength === 0) throw new StudioFailure('bad-input', `${file.fileName} is empty; pick another file`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const toFileData = (fileName: string, bytes: Uint8Array): FileData => ({
  fileName,
  dataBase64: Buffer.from(bytes).toString('base64'),
});
