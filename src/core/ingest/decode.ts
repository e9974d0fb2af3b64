/**
 * Turning a file's raw bytes into source text, the way git and Python would judge them: binary when a NUL
 * sits in the first 8000 bytes (git's own heuristic), otherwise strict UTF-8 (PEP 3120's default source
 * encoding), with a leading BOM dropped. The hash is always of the raw bytes, so it matches `sha256sum`.
 */

/** git's `buffer_is_binary` looks at this many leading bytes. */
const BINARY_PROBE_BYTES = 8000;

const BOM = [0xef, 0xbb, 0xbf] as const;

export type Decoded = { ok: true; text: string } | { ok: false; reason: 'binary' | 'not_utf8'; detail: string };

export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_PROBE_BYTES).includes(0);
}

export function decodeSource(bytes: Uint8Array): Decoded {
  if (looksBinary(bytes)) return { ok: false, reason: 'binary', detail: 'NUL byte in the first 8000 bytes' };
  const body = hasBom(bytes) ? bytes.subarray(BOM.length) : bytes;
  try {
    // ignoreBOM: we strip the BOM ourselves above, so a second one would be kept as text (as Python does).
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return { ok: true, text };
  } catch {
    return { ok: false, reason: 'not_utf8', detail: `invalid UTF-8 on line ${firstBadLine(body)}` };
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // subtle.digest refuses views over a SharedArrayBuffer; ours never are, but the type says they could be.
  const view =
    bytes.buffer instanceof ArrayBuffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes.slice();
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', view));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function hasBom(bytes: Uint8Array): boolean {
  return BOM.every((b, i) => bytes[i] === b);
}

/**
 * The 1-based line of the first undecodable byte, for the skip list. A lenient decode marks it with U+FFFD;
 * a file that already held a literal U+FFFD earlier would be reported a little early, which is harmless.
 */
function firstBadLine(bytes: Uint8Array): number {
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const at = lenient.indexOf('\uFFFD');
  let line = 1;
  for (let i = 0; i < at; i++) if (lenient.charCodeAt(i) === 10) line++;
  return line;
}
