/**
 * A .zip as a FolderSource, with no dependency: the table of contents comes from zipDirectory.ts, entry data
 * is sliced from the Blob only when the walker reads that file, and deflate goes through the platform's
 * DecompressionStream('deflate-raw') (Chromium, Firefox, Safari 16.4+, Node 18+).
 *
 * An entry we cannot unpack (encrypted, bzip2/LZMA/zstd, a symlink) still appears in the tree; its read()
 * rejects with ZipEntryUnsupportedError, so it is listed as skipped rather than silently missing.
 */
import type { FolderSource } from '../../core/ingest/tree.ts';
import { ZipEntryUnsupportedError } from './errors.ts';
import { buildTree, splitPath } from './virtualTree.ts';
import { bytesAt, corrupt, readCentralDirectory, type ZipEntry } from './zipDirectory.ts';

const LOCAL_HEADER = { signature: 0x04034b50, length: 30 } as const;
const STORED = 0;
const DEFLATED = 8;
/** For the skip detail; APPNOTE 4.4.5. */
const METHOD_NAMES: Record<number, string> = {
  9: 'deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'zstd',
  95: 'xz',
  99: 'AES',
};
/** macOS's Finder adds AppleDouble files under this folder; it must not hide the archive's real top folder. */
const MAC_METADATA = '__MACOSX';

export async function folderFromZip(blob: Blob, name: string): Promise<FolderSource> {
  const entries = await readCentralDirectory(blob, name);
  const top = soleTopFolder(entries);
  const inside = (entry: ZipEntry) => {
    const segments = splitPath(entry.name);
    return (top !== null && segments[0] === top ? segments.slice(1) : segments).join('/');
  };
  const files = entries
    .filter((e) => !e.isDir)
    .map((e) => ({ path: inside(e), size: e.size, read: () => readEntry(blob, e, name) }));
  const dirs = entries.filter((e) => e.isDir).map(inside);
  return { name: top ?? name.replace(/\.zip$/i, ''), origin: 'zip', root: buildTree(files, dirs) };
}

/** `zip -r proj.zip proj` puts everything under `proj/`: then that folder is the source, named after it. */
function soleTopFolder(entries: readonly ZipEntry[]): string | null {
  let top: string | null = null;
  for (const entry of entries) {
    const segments = splitPath(entry.name);
    if (segments[0] === MAC_METADATA) continue;
    const isUnderFolder = segments.length > 1 || (entry.isDir && segments.length === 1);
    if (!isUnderFolder || (top !== null && segments[0] !== top)) return null;
    top = segments[0]!;
  }
  return top;
}

async function readEntry(blob: Blob, entry: ZipEntry, label: string): Promise<Uint8Array> {
  if (entry.encrypted) throw new ZipEntryUnsupportedError('encrypted zip entry');
  if (entry.symlink) throw new ZipEntryUnsupportedError('symbolic link stored in the zip');
  if (entry.method !== STORED && entry.method !== DEFLATED) {
    const method = METHOD_NAMES[entry.method] ?? 'unknown';
    throw new ZipEntryUnsupportedError(`compression method ${entry.method} (${method})`);
  }
  // The local header's own name and extra lengths can differ from the central directory's (ZIP64 extras are
  // often only local), so the data starts where this header says.
  const at = entry.localHeaderOffset;
  const header = await bytesAt(blob, at, at + LOCAL_HEADER.length, label);
  if (header.getUint32(0, true) !== LOCAL_HEADER.signature) throw corrupt(label, `no local header for ${entry.name}`);
  const start = at + LOCAL_HEADER.length + header.getUint16(26, true) + header.getUint16(28, true);
  if (start + entry.compressedSize > blob.size) throw corrupt(label, `${entry.name} runs past the end of the file`);
  const data = blob.slice(start, start + entry.compressedSize);
  const bytes =
    entry.method === STORED ? new Uint8Array(await data.arrayBuffer()) : await inflate(data, entry.size, label);
  if (bytes.length !== entry.size) throw corrupt(label, `${entry.name} is not the size its header declares`);
  return bytes;
}

/**
 * Stops as soon as the output passes the declared size: a crafted entry can declare 1 KiB and inflate to
 * gigabytes, and the walker's size check trusts the declared size.
 */
async function inflate(data: Blob, declared: number, label: string): Promise<Uint8Array> {
  const reader = data.stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > declared) {
      await reader.cancel();
      throw corrupt(label, 'an entry inflates to more than its declared size');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
