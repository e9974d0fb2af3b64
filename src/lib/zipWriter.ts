/**
 * A streaming zip writer (APPNOTE.TXT 4.3) with no dependency: entries are deflated as their chunks arrive
 * (the platform's CompressionStream('deflate-raw')) and their compressed bytes become Blob parts, so a
 * large archive never sits in the JS heap. Invariants:
 * - each entry is a local header with zero CRC and sizes and flag bit 3, its data, then a data descriptor
 *   with the real CRC-32 and sizes: nothing is ever written back, as a stream could not be;
 * - several entries may be open at once (one JSONL per format and split, filled in one pass over storage);
 *   the archive lists them in the order they were opened, each one contiguous;
 * - no ZIP64: an entry or an archive at 4 GiB or more is refused with ZipTooLargeError, never written
 *   with wrapped sizes that readers would misread;
 * - names are UTF-8 (flag bit 11), '/'-separated, relative, without '..'.
 */
import { BlobSink } from './blobSink.ts';
import { crc32 } from './crc32.ts';

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** 2.0: deflate. */
const VERSION_NEEDED = 20;
/** Unix (3) in the high byte, so the external attributes carry a file mode (0644) that unzip applies. */
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
const FILE_MODE = 0o100644;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const DEFLATED = 8;
/** The largest size or offset a 32-bit field holds; ZIP64 would be needed at this value and above. */
const LIMIT_32 = 0xffffffff;
/** More entries than this needs ZIP64 too. */
const LIMIT_ENTRIES = 0xffff;

/** The archive (or one entry) would need ZIP64: 4 GiB or more, or more than 65,535 entries. */
export class ZipTooLargeError extends Error {
  override readonly name = 'ZipTooLargeError';
}

type Finished = { name: Uint8Array; crc: number; compressed: number; size: number; data: Blob };

export type ZipEntryWriter = {
  /** Append text (written as UTF-8) or bytes. Rejects with ZipTooLargeError at 4 GiB. */
  write(chunk: string | Uint8Array<ArrayBuffer>): Promise<void>;
  /** Finish the entry: it is in the archive. */
  close(): Promise<void>;
  /** Leave the entry out of the archive (e.g. a split that got no lines). */
  discard(): Promise<void>;
  /** Uncompressed bytes written so far. */
  readonly size: number;
};

export class ZipWriter {
  readonly #entries: { name: string; open: () => boolean; done: Promise<Finished | null> }[] = [];
  readonly #names = new Set<string>();
  readonly #time: number;
  readonly #date: number;
  readonly #limit: number;

  /**
   * `modified`: the time every entry carries (local time, 2-second resolution, as zip stores it).
   * `limitBytes`: what counts as too large (4 GiB − 1 unless a test wants to reach it quickly).
   */
  constructor({ modified = new Date(), limitBytes = LIMIT_32 }: { modified?: Date; limitBytes?: number } = {}) {
    [this.#time, this.#date] = dosDateTime(modified);
    this.#limit = Math.min(limitBytes, LIMIT_32);
  }

  open(name: string): ZipEntryWriter {
    checkName(name);
    if (this.#names.has(name)) throw new Error(`zip entry ${name} is written twice`);
    if (this.#entries.length >= LIMIT_ENTRIES) throw new ZipTooLargeError('more than 65,535 files in one zip');
    this.#names.add(name);
    const entry = deflateEntry(name, this.#limit);
    this.#entries.push({ name, open: entry.open, done: entry.done });
    return entry.writer;
  }

  /** A whole entry at once (the card, dataset_info.json). */
  async add(name: string, content: string | Uint8Array<ArrayBuffer>): Promise<void> {
    const entry = this.open(name);
    await entry.write(content);
    await entry.close();
  }

  /** The archive, once every opened entry is closed or discarded. */
  async finish(): Promise<Blob> {
    const open = this.#entries.filter((e) => e.open()).map((e) => e.name);
    if (open.length > 0) throw new Error(`zip entries still open: ${open.join(', ')}`);
    const out = new BlobSink();
    const central: Uint8Array[] = [];
    let offset = 0;
    for (const { done } of this.#entries) {
      const entry = await done;
      if (!entry) continue;
      const local = localHeader(entry.name, this.#time, this.#date);
      const descriptor = dataDescriptor(entry);
      central.push(centralHeader(entry, this.#time, this.#date, offset));
      out.push(local);
      out.push(entry.data);
      out.push(descriptor);
      offset += local.length + entry.compressed + descriptor.length;
      if (offset > this.#limit) throw new ZipTooLargeError('the zip would be 4 GiB or more');
    }
    const directorySize = central.reduce((sum, h) => sum + h.length, 0);
    for (const header of central) out.push(header);
    if (offset + directorySize > this.#limit) throw new ZipTooLargeError('the zip would be 4 GiB or more');
    out.push(endOfDirectory(central.length, directorySize, offset));
    return out.blob('application/zip');
  }
}

/** One entry's deflate: chunks go in through `writer`, compressed bytes are pumped out into Blob parts. */
function deflateEntry(
  name: string,
  limit: number,
): {
  writer: ZipEntryWriter;
  open: () => boolean;
  done: Promise<Finished | null>;
} {
  const encoder = new TextEncoder();
  const stream = new CompressionStream('deflate-raw');
  const input = stream.writable.getWriter();
  const output = new BlobSink();
  let compressed = 0;
  let size = 0;
  let crc = 0;
  let state: 'open' | 'closed' | 'discarded' = 'open';
  const pump = (async () => {
    const reader = stream.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      compressed += value.byteLength;
      output.push(value);
    }
  })();
  let settle!: (entry: Finished | null) => void;
  const done = new Promise<Finished | null>((resolve) => (settle = resolve));
  const writer: ZipEntryWriter = {
    get size() {
      return size;
    },
    async write(chunk) {
      if (state !== 'open') throw new Error(`zip entry ${name} is already ${state}`);
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      if (size + bytes.length > limit) {
        await writer.discard();
        throw new ZipTooLargeError(`${name} would be 4 GiB or more`);
      }
      size += bytes.length;
      crc = crc32(bytes, crc);
      await input.write(bytes);
    },
    async close() {
      if (state !== 'open') throw new Error(`zip entry ${name} is already ${state}`);
      state = 'closed';
      await input.close();
      await pump;
      settle({ name: encoder.encode(name), crc, compressed, size, data: output.blob() });
    },
    async discard() {
      if (state !== 'open') return;
      state = 'discarded';
      await input.abort().catch(() => undefined);
      await pump.catch(() => undefined);
      settle(null);
    },
  };
  return { writer, open: () => state === 'open', done };
}

function checkName(name: string): void {
  const parts = name.split('/');
  if (name === '' || name.startsWith('/') || name.includes('\\') || parts.some((p) => p === '' || p === '..'))
    throw new Error(`not a relative zip entry name: ${JSON.stringify(name)}`);
}

function localHeader(name: Uint8Array, time: number, date: number): Uint8Array {
  const bytes = new Uint8Array(30 + name.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, LOCAL_HEADER, true);
  view.setUint16(4, VERSION_NEEDED, true);
  view.setUint16(6, FLAG_DATA_DESCRIPTOR | FLAG_UTF8, true);
  view.setUint16(8, DEFLATED, true);
  view.setUint16(10, time, true);
  view.setUint16(12, date, true);
  // CRC and sizes (14..25) stay zero: they follow the data, in the descriptor (flag bit 3).
  view.setUint16(26, name.length, true);
  view.setUint16(28, 0, true);
  bytes.set(name, 30);
  return bytes;
}

function dataDescriptor(entry: Finished): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, DATA_DESCRIPTOR, true);
  view.setUint32(4, entry.crc, true);
  view.setUint32(8, entry.compressed, true);
  view.setUint32(12, entry.size, true);
  return bytes;
}

function centralHeader(entry: Finished, time: number, date: number, offset: number): Uint8Array {
  const bytes = new Uint8Array(46 + entry.name.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, CENTRAL_HEADER, true);
  view.setUint16(4, VERSION_MADE_BY, true);
  view.setUint16(6, VERSION_NEEDED, true);
  view.setUint16(8, FLAG_DATA_DESCRIPTOR | FLAG_UTF8, true);
  view.setUint16(10, DEFLATED, true);
  view.setUint16(12, time, true);
  view.setUint16(14, date, true);
  view.setUint32(16, entry.crc, true);
  view.setUint32(20, entry.compressed, true);
  view.setUint32(24, entry.size, true);
  view.setUint16(28, entry.name.length, true);
  // extra length, comment length, disk number, internal attributes (30..37): zero.
  view.setUint32(38, FILE_MODE * 0x10000, true);
  view.setUint32(42, offset, true);
  bytes.set(entry.name, 46);
  return bytes;
}

function endOfDirectory(count: number, size: number, offset: number): Uint8Array {
  const bytes = new Uint8Array(22);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, END_OF_CENTRAL_DIRECTORY, true);
  view.setUint16(8, count, true);
  view.setUint16(10, count, true);
  view.setUint32(12, size, true);
  view.setUint32(16, offset, true);
  return bytes;
}

/** MS-DOS time and date: 2-second resolution, years 1980–2107 (earlier dates are clamped to 1980). */
function dosDateTime(d: Date): [number, number] {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  const time = (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2);
  const date = ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
  return [time, date];
}
