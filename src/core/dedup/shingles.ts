/**
 * Shingles: the sets MinHash compares. Every token is hashed to 32 bits, every run of `n` consecutive
 * tokens to one 32-bit shingle (murmur3's mixing over the n token hashes), and the set is returned sorted
 * without repeats (a repeat never changes a minimum; dropping it halves the work on repetitive code).
 * A sequence shorter than `n` is one shingle of all its tokens, as text-dedup's ngrams does.
 */

export const SHINGLE_SIZE = 5;

/** FNV-1a over UTF-16 code units, then murmur3's finaliser: well spread, fast on short strings. */
export function tokenHash(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** The sorted, distinct shingle hashes of a token sequence. */
export function shingles(tokens: readonly string[], n = SHINGLE_SIZE): Uint32Array {
  const hashes = new Uint32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) hashes[i] = tokenHash(tokens[i]!);
  return shinglesOfHashes(hashes, n);
}

/** The same from token hashes (what the bench reads from disk). */
export function shinglesOfHashes(hashes: Uint32Array, n = SHINGLE_SIZE): Uint32Array {
  if (hashes.length === 0) return new Uint32Array(0);
  const width = Math.min(n, hashes.length);
  const count = hashes.length - width + 1;
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let h = width;
    for (let j = 0; j < width; j++) {
      let k = Math.imul(hashes[i + j]!, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
    out[i] = fmix32(h);
  }
  return distinct(out);
}

/** Lower-cased words (letters, digits, underscores) of a text: an instruction's tokens. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

function distinct(values: Uint32Array): Uint32Array {
  values.sort();
  let kept = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[kept - 1]) values[kept++] = values[i]!;
  return kept === values.length ? values : values.slice(0, kept);
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
