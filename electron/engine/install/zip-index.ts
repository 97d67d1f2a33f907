// Random access into a PyTorch checkpoint (torch.save's zip: data.pkl plus one stored entry per storage).
// fflate and the other zip libraries here read a zip from start to end into memory; a 1.5 GB checkpoint must
// instead be read tensor by tensor at known offsets, so this reads only the central directory (zip64 included)
// and the local headers. torch.save never compresses, so compressed entries are refused rather than inflated.
import { open, type FileHandle } from 'node:fs/promises';
import { CheckpointError } from './errors';

export interface ZipEntry {
  name: string;
  /** Absolute offset of the entry's bytes in the file. */
  dataOffset: number;
  size: number;
  /** torch.save never compresses; such an entry is refused when it is needed. */
  compressed: boolean;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32 = 0xffffffff;

async function readAt(file: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}

const u64 = (b: Buffer, at: number) => Number(b.readBigUInt64LE(at));

/** Entries by name. Throws CheckpointError when the file is not a (complete) zip of stored entries. */
export async function readZipIndex(file: FileHandle, fileSize: number, what: string): Promise<Map<string, ZipEntry>> {
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tail = await readAt(file, fileSize - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) {
    const head = await readAt(file, 0, 4);
    const isZip = head.length === 4 && head.readUInt32LE(0) === LOCAL;
    throw new CheckpointError(
      isZip
        ? `${what}: the file is cut short (no zip directory at its end); download it again`
        : `${what}: not a PyTorch checkpoint (not a zip archive)`,
    );
  }
  let count = tail.readUInt16LE(at + 10);
  let dirSize = tail.readUInt32LE(at + 12);
  let dirOffset = tail.readUInt32LE(at + 16);
  const locatorAt = at - 20;
  if (locatorAt >= 0 && tail.readUInt32LE(locatorAt) === EOCD64_LOCATOR) {
    const record = await readAt(file, u64(tail, locatorAt + 8), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== EOCD64) throw damaged(what, 'zip64 end record');
    count = u64(record, 32);
    dirSize = u64(record, 40);
    dirOffset = u64(record, 48);
  }
  if (dirOffset + dirSize > fileSize) throw damaged(what, 'central directory past the end of the file');
  const dir = await readAt(file, dirOffset, dirSize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw damaged(what, 'central directory');
    const method = dir.readUInt16LE(p + 10);
    let compressed = dir.readUInt32LE(p + 20);
    let size = dir.readUInt32LE(p + 24);
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    let localOffset = dir.readUInt32LE(p + 42);
    const name = dir.toString('utf8', p + 46, p + 46 + nameLength);
    // zip64 extra field: the 64-bit values, in this order, for those whose 32-bit field is 0xffffffff.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = dir.readUInt16LE(e);
      const length = dir.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === U32) {
          size = u64(dir, q);
          q += 8;
        }
        if (compressed === U32) {
          compressed = u64(dir, q);
          q += 8;
        }
        if (localOffset === U32) localOffset = u64(dir, q);
      }
      e += 4 + length;
    }
    const local = await readAt(file, localOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw damaged(what, `local header of ${name}`);
    const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (dataOffset + compressed > fileSize) {
      throw new CheckpointError(`${what}: the file is cut short (entry ${name} ends past its end); download it again`);
    }
    entries.set(name, { name, dataOffset, size, compressed: method !== 0 });
    p = extraEnd + commentLength;
  }
  return entries;
}

function damaged(what: string, part: string): CheckpointError {
  return new CheckpointError(`${what}: the zip is damaged (${part}); download the file again`);
}

/** Opens `path` read-only; the caller closes it. */
export async function openCheckpointFile(path: string): Promise<{ file: FileHandle; size: number }> {
  const file = await open(path, 'r');
  const { size } = await file.stat();
  return { file, size };
}

export { readAt };
