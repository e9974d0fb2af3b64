/**
 * MinHash signatures: for each permutation, the least permuted value over a set's shingles (datasketch's
 * MinHash.update_batch, starting from 2^32 − 1 like it). Signatures of many sets live in one Uint32Array,
 * `numPerm` values per set, so 100,000 functions are one allocation, not 100,000.
 *
 * The loop is permutation-outer, shingle-inner: a permutation's six constants stay in registers and the
 * shingles' halves are read in order. The arithmetic is permutations.ts's `reduce`, inlined (measured: a
 * call per value costs about a third more).
 */
import type { Permutations } from './permutations.ts';

const TWO_32 = 4294967296;
const TWO_MINUS_32 = 1 / TWO_32;
const TWO_MINUS_29 = 1 / 536870912;
const LOW_29 = 0x1fffffff;
const TWO_29 = 0x20000000;
const EMPTY = 0xffffffff;

/** Scratch space for one set's shingle halves, grown as needed (one per caller, not per set). */
export class MinHasher {
  #xl = new Float64Array(256);
  #xh = new Float64Array(256);

  constructor(readonly perms: Permutations) {}

  /** Write the signature of `shingles` (32-bit values; duplicates allowed) at `out[offset…]`. */
  signInto(shingles: Uint32Array, out: Uint32Array, offset: number): void {
    const n = shingles.length;
    if (n > this.#xl.length) {
      this.#xl = new Float64Array(n * 2);
      this.#xh = new Float64Array(n * 2);
    }
    const xl = this.#xl;
    const xh = this.#xh;
    for (let i = 0; i < n; i++) {
      const x = shingles[i]!;
      xl[i] = x & 0xffff;
      xh[i] = x >>> 16;
    }
    const { numPerm, ah, al, a2h, a2l, bh, bl } = this.perms;
    for (let k = 0; k < numPerm; k++) {
      const ahk = ah[k]!;
      const alk = al[k]!;
      const a2hk = a2h[k]!;
      const a2lk = a2l[k]!;
      const bhk = bh[k]!;
      const blk = bl[k]!;
      let min = EMPTY;
      for (let i = 0; i < n; i++) {
        const lo = xl[i]!;
        const hi = xh[i]!;
        const L = alk * lo + a2lk * hi + blk;
        const carry = Math.floor(L * TWO_MINUS_32);
        const H = ahk * lo + a2hk * hi + bhk + carry;
        const q = Math.floor(H * TWO_MINUS_29);
        let rest = H - q * TWO_29;
        let v = L - carry * TWO_32 + q;
        if (v >= TWO_32) {
          v -= TWO_32;
          rest += 1;
          if (rest === TWO_29) v += 1;
        } else if (rest === LOW_29 && v === TWO_32 - 1) v = 0;
        if (v < min) min = v;
      }
      out[offset + k] = min;
    }
  }

  /** Signatures of many sets, `numPerm` values each, in order. */
  signAll(sets: readonly Uint32Array[]): Uint32Array {
    const numPerm = this.perms.numPerm;
    const out = new Uint32Array(sets.length * numPerm);
    sets.forEach((set, i) => this.signInto(set, out, i * numPerm));
    return out;
  }
}

/** Estimated Jaccard similarity of sets i and j: the share of permutations whose minima agree. */
export function estimateJaccard(signatures: Uint32Array, numPerm: number, i: number, j: number): number {
  let same = 0;
  const a = i * numPerm;
  const b = j * numPerm;
  for (let k = 0; k < numPerm; k++) if (signatures[a + k] === signatures[b + k]) same += 1;
  return same / numPerm;
}
