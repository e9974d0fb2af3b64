/**
 * Collects a large download as Blob parts without keeping it in the JS heap: pieces are gathered until
 * about `flushBytes`, then wrapped in a Blob, whose bytes the browser keeps outside the heap (and may page
 * to disk). A list of strings would hold the whole file in the heap until the download; this holds at most
 * one batch (bench/exportHeap.ts measures the difference).
 */

/** 1 MiB: large enough that a 100 MB file is a hundred Blobs, small enough not to show in the heap. */
const FLUSH_BYTES = 1 << 20;

export class BlobSink {
  #blobs: Blob[] = [];
  #pending: BlobPart[] = [];
  #pendingBytes = 0;
  #size = 0;

  constructor(private readonly flushBytes = FLUSH_BYTES) {}

  /** Bytes written so far (a string counts its UTF-16 length until it is flushed: an estimate). */
  get size(): number {
    return this.#size + this.#pendingBytes;
  }

  push(part: string | Uint8Array | Blob): void {
    const bytes = typeof part === 'string' ? part.length : part instanceof Blob ? part.size : part.byteLength;
    if (part instanceof Blob) {
      this.flush();
      this.#blobs.push(part);
      this.#size += bytes;
      return;
    }
    this.#pending.push(part as BlobPart);
    this.#pendingBytes += bytes;
    if (this.#pendingBytes >= this.flushBytes) this.flush();
  }

  flush(): void {
    if (this.#pending.length === 0) return;
    const blob = new Blob(this.#pending);
    this.#blobs.push(blob);
    this.#size += blob.size;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  blob(type = ''): Blob {
    this.flush();
    return new Blob(this.#blobs, { type });
  }
}
