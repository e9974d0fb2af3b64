import { describe, expect, it } from 'vitest';
import { MinHasher, estimateJaccard } from './minhash.ts';
import { MERSENNE_61, permutations, permute, permuteReference, splitmix32 } from './permutations.ts';

describe('the permutations (a·x + b) mod 2^61 − 1, low 32 bits', () => {
  const perms = permutations(250, 1);

  it('draws a in [1, p) and b in [0, p), the same ones for the same seed', () => {
    expect(perms.a.every((a) => a >= 1n && a < MERSENNE_61)).toBe(true);
    expect(perms.b.every((b) => b >= 0n && b < MERSENNE_61)).toBe(true);
    expect(permutations(250, 1).a).toEqual(perms.a);
    expect(permutations(250, 2).a).not.toEqual(perms.a);
    // 61-bit values: the top bits are used.
    expect(perms.a.some((a) => a > 2n ** 60n)).toBe(true);
  });

  it('agree exactly with BigInt arithmetic, edge values included', () => {
    const edges = [0, 1, 2, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
    const next = splitmix32(7);
    let checked = 0;
    for (let k = 0; k < perms.numPerm; k++)
      for (const x of [...edges, ...Array.from({ length: 200 }, next)]) {
        expect(permute(perms, k, x)).toBe(permuteReference(perms, k, x));
        checked += 1;
      }
    expect(checked).toBe(250 * 209);
  });

  it('agree with BigInt where the folding is at its limits (a and b next to p, a value that is exactly p)', () => {
    const edge = permutations(4, 1);
    const set = (k: number, a: bigint, b: bigint) => {
      edge.a[k] = a;
      edge.b[k] = b;
      const w = (a << 16n) % MERSENNE_61;
      edge.ah[k] = Number(a >> 32n);
      edge.al[k] = Number(a & 0xffffffffn);
      edge.a2h[k] = Number(w >> 32n);
      edge.a2l[k] = Number(w & 0xffffffffn);
      edge.bh[k] = Number(b >> 32n);
      edge.bl[k] = Number(b & 0xffffffffn);
    };
    set(0, MERSENNE_61 - 1n, MERSENNE_61 - 1n);
    set(1, 1n, MERSENNE_61 - 1n); // x = 1 gives exactly p: 0
    set(2, 2n ** 60n, 2n ** 60n);
    set(3, 0xffffffffn, MERSENNE_61 - ((0xffffffffn * 0xffffffffn) % MERSENNE_61));
    for (let k = 0; k < 4; k++)
      for (const x of [0, 1, 2, 3, 0xffff, 0x10000, 0x7fffffff, 0xffffffff])
        expect(permute(edge, k, x), `k ${k}, x ${x}`).toBe(permuteReference(edge, k, x));
    expect(permute(edge, 1, 1)).toBe(0);
  });
});

describe('MinHash signatures', () => {
  const perms = permutations(64, 3);
  const hasher = new MinHasher(perms);

  it('are the minimum of each permutation over the set, as BigInt computes it', () => {
    const next = splitmix32(11);
    const set = Uint32Array.from({ length: 300 }, next);
    const out = new Uint32Array(64);
    hasher.signInto(set, out, 0);
    for (let k = 0; k < 64; k++) {
      let min = 0xffffffff;
      for (const x of set) min = Math.min(min, permuteReference(perms, k, x));
      expect(out[k]).toBe(min);
    }
  });

  it('estimate Jaccard similarity: identical sets 1, disjoint sets near 0, repeats change nothing', () => {
    const a = Uint32Array.from({ length: 100 }, (_, i) => i * 7919);
    const b = Uint32Array.from({ length: 100 }, (_, i) => 1_000_000 + i * 104729);
    const repeated = Uint32Array.from([...a, ...a.slice(0, 50)]);
    const sigs = hasher.signAll([a, a.slice().reverse(), b, repeated]);
    expect(estimateJaccard(sigs, 64, 0, 1)).toBe(1);
    expect(estimateJaccard(sigs, 64, 0, 3)).toBe(1);
    expect(estimateJaccard(sigs, 64, 0, 2)).toBeLessThan(0.1);
  });
});
