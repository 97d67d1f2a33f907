import { StudioFailure } from '../contract';
import type { FileData } from '../contract/methods/common';

/** Bytes of a file that came over the bridge as base64. */
export function fileBytes(file: FileData): Uint8Array {
  const bytes = Buffer.from(file.dataBase64, 'base64');
  if (bytes.byteLength === 0) throw new StudioFailure('bad-input', `${file.fileName} is empty; pick another file`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const toFileData = (fileName: string, bytes: Uint8Array): FileData => ({
  fileName,
  dataBase64: Buffer.from(bytes).toString('base64'),
});
