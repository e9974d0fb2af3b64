/**
 * The lines of an untrusted text file, read as a stream of bytes: memory holds one chunk and one line,
 * never the file. Invariants:
 * - lines are split on the byte 0x0A, which never occurs inside a multi-byte UTF-8 sequence, and each line
 *   is decoded on its own with a fatal decoder, so invalid UTF-8 is reported with its line number and the
 *   other lines are still read (a TextDecoderStream over the whole file either stops at the first bad byte
 *   or, not fatal, turns it into U+FFFD, which a valid file may also hold);
 * - a line ending in CR (CRLF files) loses the CR; a byte-order mark is dropped at the start of the file
 *   only (anywhere else it is a character the JSON parser refuses); blank lines are skipped but counted;
 *   a last line without a newline is read like the others;
 * - a line longer than MAX_LINE_BYTES is reported, not kept: its bytes are counted and dropped as they come.
 */

/** 1 MiB: the longest line read (the export's longest lines are programs of a few KB). */
export const MAX_LINE_BYTES = 1 << 20;

const LF = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];
/** A line of nothing but white space (tested in place: trim() would copy a line of up to 1 MiB). */
const BLANK = /^\s*$/;

/** A line's text, or why it cannot be read; `line` counts from 1, blank lines included. */
export type RawLine = { line: number; text: string } | { line: number; problem: string };

export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  onBytes?: (bytes: number) => void,
  signal?: AbortSignal,
): AsyncGenerator<RawLine> {
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let parts: Uint8Array[] = [];
  let length = 0;
  let line = 1;
  let bytes = 0;
  let finished = false;
  const take = (part: Uint8Array): void => {
    length += part.length;
    if (length > MAX_LINE_BYTES) parts = [];
    else if (part.length > 0) parts.push(part);
  };
  const end = (): RawLine | null => {
    const raw = lineOf(parts, length, line, decoder);
    parts = [];
    length = 0;
    line += 1;
    return raw;
  };
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      let start = 0;
      for (let at = value.indexOf(LF); at !== -1; at = value.indexOf(LF, start)) {
        take(value.subarray(start, at));
        start = at + 1;
        const raw = end();
        if (raw) yield raw;
      }
      take(value.subarray(start));
      onBytes?.(bytes);
    }
    finished = true;
    if (length > 0) {
      const raw = end();
      if (raw) yield raw;
    }
  } finally {
    // Stopped early (a cancel, a consumer that gave up): let go of the file.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function lineOf(parts: Uint8Array[], length: number, line: number, decoder: TextDecoder): RawLine | null {
  if (length > MAX_LINE_BYTES) return { line, problem: `longer than 1 MiB (${length} bytes)` };
  let bytes = parts.length === 1 ? parts[0]! : concat(parts, length);
  if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
  if (line === 1 && BOM.every((b, i) => bytes[i] === b)) bytes = bytes.subarray(BOM.length);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { line, problem: `not valid UTF-8 (at byte ${firstInvalidByte(bytes)} of the line)` };
  }
  return BLANK.test(text) ? null : { line, text };
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Where decoding first fails (1-based), found by bisection on prefixes: only for the report. */
function firstInvalidByte(bytes: Uint8Array): number {
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    try {
      // A prefix that cuts a sequence short is valid with stream: true (the rest would complete it).
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      good = mid;
    } catch {
      bad = mid;
    }
  }
  return bad;
}
