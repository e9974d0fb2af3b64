/**
 * MinHash over code shingles (windows of SHINGLE normalised tokens, names renamed per window as in
 * ngrams.ts), computed by the dedup stage's MinHasher (core/dedup), for near-duplicate code: the share of equal signature slots estimates the Jaccard
 * similarity of two shingle sets. A signature keeps the low 8 bits of each of its PERMUTATIONS minimums
 * (b-bit MinHash, Li and König 2010): unrelated slots then agree by chance once in 256, which
 * `similarity` corrects for, and 128 one-byte slots estimate better than 64 two-byte ones (standard error
 * at J = 0.7 about 0.045) in the same 58 KiB of index.
 */
import { MinHasher } from '../dedup/minhash.ts';
import { permutations } from '../dedup/permutations.ts';
import { codeGrams } from './ngrams.ts';
import type { CodeToken } from './normalise.ts';

export const PERMUTATIONS = 128;
export const SHINGLE = 5;
/**
 * Code with fewer distinct shingles than this gets no signature: a one-line function's handful of
 * shingles makes unrelated one-liners look alike (`def f(a, b): return a + b` vs `… a * b`). Such code is
 * left to the n-gram match.
 */
export const MIN_SHINGLES = 20;
/** Chance that two slots of unrelated sets agree: 2^-8. */
const CHANCE = 1 / 256;

/** The dedup stage's MinHash (datasketch's permutations), with a seed of the screen's own. */
const HASHER = new MinHasher(permutations(PERMUTATIONS, 0x5c7ee9));

/** The distinct shingle hashes of some code tokens (32 bits each). */
export function shingles(tokens: readonly CodeToken[]): Uint32Array {
  return Uint32Array.from(new Set(codeGrams(tokens, SHINGLE, true).map((h) => h % 0x1_0000_0000)));
}

/** A b-bit MinHash signature, or null when there are too few shingles to say anything. */
export function signature(set: Uint32Array): Uint8Array | null {
  if (set.length < MIN_SHINGLES) return null;
  const mins = new Uint32Array(PERMUTATIONS);
  HASHER.signInto(set, mins, 0);
  return Uint8Array.from(mins, (m) => m & 0xff);
}

/** Estimated Jaccard similarity of the sets behind two signatures (`b` read at `offset` in a table). */
export function similarity(a: Uint8Array, b: Uint8Array, offset = 0): number {
  let equal = 0;
  for (let k = 0; k < PERMUTATIONS; k++) if (a[k] === b[offset + k]) equal++;
  return Math.max(0, (equal / PERMUTATIONS - CHANCE) / (1 - CHANCE));
}
