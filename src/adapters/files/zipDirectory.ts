/**
 * Reading a zip's table of contents (APPNOTE.TXT 6.3): find the End Of Central Directory record in the last
 * 64 KiB + 22 bytes (the record plus the longest comment), follow the ZIP64 locator when there is one, then
 * parse every central directory header. Only the tail and the directory are read, never entry data, so a
 * large archive costs a few small Blob slices.
 */
import { SourceError } from './errors.ts';

export type ZipEntry = {
  /** As stored: '/'-separated, a trailing '/' for a directory entry. */
  name: string;
  isDir: boolean;
  method: number;
  encrypted: boolean;
  symlink: boolean;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
};

const EOCD = { signature: 0x06054b50, length: 22, maxComment: 0xffff } as const;
const ZIP64_LOCATOR = { signature: 0x07064b50, length: 20 } as const;
const ZIP64_EOCD = { signature: 0x06064b50, length: 56 } as const;
const CENTRAL_HEADER = { signature: 0x02014b50, length: 46 } as const;
/** The extra field holding the 64-bit values that the header marks with all-ones placeholders. */
const ZIP64_EXTRA_ID = 0x0001;
const FLAG_ENCRYPTED = 0x1;
/** "version made by" high byte 3 = Unix: then the top 16 bits of the external attributes are st_mode. */
const HOST_UNIX = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

type Directory = { count: number; offset: number; size: number };

export async function readCentralDirectory(blob: Blob, label: string): Promise<ZipEntry[]> {
  const dir = await findDirectory(blob, label);
  const view = await bytesAt(blob, dir.offset, dir.offset + dir.size, label);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < dir.count; i++) {
    if (at + CENTRAL_HEADER.length > view.byteLength || view.getUint32(at, true) !== CENTRAL_HEADER.signature) {
      throw corrupt(label, `central directory entry ${i + 1} of ${dir.count} is missing`);
    }
    const entry = parseHeader(view, at, label);
    entries.push(entry.entry);
    at = entry.next;
  }
  return entries;
}

async function findDirectory(blob: Blob, label: string): Promise<Directory> {
  const tailStart = Math.max(0, blob.size - EOCD.length - EOCD.maxComment);
  const tail = await bytesAt(blob, tailStart, blob.size, label);
  const at = findEocd(tail);
  if (at < 0)
    throw new SourceError('not_zip', `${label} is not a zip archive (no end of central directory record found).`);
  const disk = tail.getUint16(at + 4, true);
  const directoryDisk = tail.getUint16(at + 6, true);
  const eocd: Directory = {
    count: tail.getUint16(at + 10, true),
    size: tail.getUint32(at + 12, true),
    offset: tail.getUint32(at + 16, true),
  };
  const locatorAt = tailStart + at - ZIP64_LOCATOR.length;
  const locator = locatorAt >= 0 ? await bytesAt(blob, locatorAt, locatorAt + ZIP64_LOCATOR.length, label) : null;
  // With a locator, the ZIP64 record is the truth: the 16/32-bit fields may be all-ones placeholders, or
  // (as CPython writes them) plain values clipped to their width.
  if (locator && locator.getUint32(0, true) === ZIP64_LOCATOR.signature) {
    if (locator.getUint32(16, true) > 1) throw splitZip(label);
    return readZip64Record(blob, Number(locator.getBigUint64(8, true)), label);
  }
  if (disk !== 0 || directoryDisk !== 0) throw splitZip(label);
  return eocd;
}

/** The last EOCD signature whose comment length fits the bytes after it (a comment may contain the magic). */
function findEocd(tail: DataView): number {
  for (let at = tail.byteLength - EOCD.length; at >= 0; at--) {
    if (tail.getUint32(at, true) !== EOCD.signature) continue;
    if (at + EOCD.length + tail.getUint16(at + 20, true) <= tail.byteLength) return at;
  }
  return -1;
}

async function readZip64Record(blob: Blob, offset: number, label: string): Promise<Directory> {
  const record = await bytesAt(blob, offset, offset + ZIP64_EOCD.length, label);
  if (record.getUint32(0, true) !== ZIP64_EOCD.signature) throw corrupt(label, 'the ZIP64 end record is missing');
  if (record.getUint32(16, true) !== 0 || record.getUint32(20, true) !== 0) throw splitZip(label);
  return {
    count: Number(record.getBigUint64(32, true)),
    size: Number(record.getBigUint64(40, true)),
    offset: Number(record.getBigUint64(48, true)),
  };
}

function parseHeader(view: DataView, at: number, label: string): { entry: ZipEntry; next: number } {
  const nameLength = view.getUint16(at + 28, true);
  const extraLength = view.getUint16(at + 30, true);
  const commentLength = view.getUint16(at + 32, true);
  const nameStart = at + CENTRAL_HEADER.length;
  const next = nameStart + nameLength + extraLength + commentLength;
  if (next > view.byteLength) throw corrupt(label, 'a central directory entry runs past the directory');
  // Names are UTF-8 when flag bit 11 says so, officially CP437 otherwise; in practice (macOS, Info-ZIP,
  // 7-Zip) unflagged names are UTF-8 too, so we decode UTF-8 leniently either way.
  const name = new TextDecoder().decode(new Uint8Array(view.buffer, view.byteOffset + nameStart, nameLength));
  const extra = new DataView(view.buffer, view.byteOffset + nameStart + nameLength, extraLength);
  const wide = zip64Values(extra, {
    size: view.getUint32(at + 24, true),
    compressedSize: view.getUint32(at + 20, true),
    localHeaderOffset: view.getUint32(at + 42, true),
  });
  const mode = view.getUint32(at + 38, true) >>> 16;
  const entry: ZipEntry = {
    name,
    isDir: name.endsWith('/'),
    method: view.getUint16(at + 10, true),
    encrypted: (view.getUint16(at + 8, true) & FLAG_ENCRYPTED) !== 0,
    symlink: view.getUint8(at + 5) === HOST_UNIX && (mode & S_IFMT) === S_IFLNK,
    ...wide,
  };
  return { entry, next };
}

type Wide = { size: number; compressedSize: number; localHeaderOffset: number };

/** Replaces each all-ones field, in APPNOTE's fixed order, with the next 64-bit value of the ZIP64 extra. */
function zip64Values(extra: DataView, narrow: Wide): Wide {
  for (let at = 0; at + 4 <= extra.byteLength;) {
    const id = extra.getUint16(at, true);
    const length = extra.getUint16(at + 2, true);
    if (id === ZIP64_EXTRA_ID) {
      const wide = { ...narrow };
      let field = at + 4;
      for (const key of ['size', 'compressedSize', 'localHeaderOffset'] as const) {
        if (narrow[key] !== 0xffffffff || field + 8 > at + 4 + length) continue;
        wide[key] = Number(extra.getBigUint64(field, true));
        field += 8;
      }
      return wide;
    }
    at += 4 + length;
  }
  return narrow;
}

export async function bytesAt(blob: Blob, start: number, end: number, label: string): Promise<DataView> {
  if (start < 0 || end > blob.size || start > end) throw corrupt(label, 'a record points outside the file');
  return new DataView(await blob.slice(start, end).arrayBuffer());
}

export function corrupt(label: string, why: string): SourceError {
  return new SourceError('corrupt_zip', `${label} is a damaged zip archive: ${why}.`);
}

function splitZip(label: string): SourceError {
  return new SourceError(
    'split_zip',
    `${label} is one part of a split zip archive; join the parts into one .zip first.`,
  );
}
