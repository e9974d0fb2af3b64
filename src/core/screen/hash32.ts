/**
 * 32-bit hashing for the screens: token keys, n-gram windows, MinHash permutations. MurmurHash3's mixing
 * steps, on integers (no strings are built per window). Not for security: the benchmark index is public,
 * so a sample written to collide with it could only make itself look contaminated.
 */

/** Two independent 32-bit hashes of a string (seeds 1 and 2), so a pair gives 64 well-mixed bits. */
export function stringHashPair(text: string): [number, number] {
  let a = 0x9747b28c;
  let b = 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = mixInto(a, c);
    b = mixInto(b, c ^ 0x2b);
  }
  return [finalMix(a ^ text.length), finalMix(b ^ (text.length * 3))];
}

/** One MurmurHash3 step: a 32-bit value folded into a running hash. */
export function mixInto(hash: number, value: number): number {
  let k = Math.imul(value, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let h = hash ^ k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser: every input bit reaches every output bit. Unsigned. */
export function finalMix(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bits of an n-gram hash (see gramHash). */
export const GRAM_HASH_BITS = 44;

/**
 * An n-gram's hash: GRAM_HASH_BITS bits from two 32-bit hashes, exact as a JS number. 44 bits: with
 * ~65,000 indexed n-grams, a sample's ~600 lookups hit one by chance with probability ~2·10^-6 (about
 * one chance finding in half a million samples), and each stored n-gram costs about 4 bytes.
 */
export function gramHash(high: number, low: number): number {
  return (high & 0xfff) * 0x1_0000_0000 + (low >>> 0);
}
