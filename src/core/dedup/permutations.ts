/**
 * MinHash's permutations, as datasketch makes them: universal hashing h(x) = ((a·x + b) mod p) & (2^32 − 1)
 * with p = 2^61 − 1, a in [1, p), b in [0, p), x a 32-bit shingle hash. Invariants:
 * - computed EXACTLY: a·x is a 93-bit number, so it is split into pieces that each fit a double's 53-bit
 *   mantissa (BigInt is exact but ~50x slower in this loop). datasketch itself multiplies in uint64 and
 *   wraps at 2^64 before the modulo; the bench's baseline does both and names which is which;
 * - deterministic: a and b come from a seeded generator, so a run, a resumed run and the bench agree.
 *
 * The arithmetic, for x = xh·2^16 + xl (16-bit halves) and a' = a·2^16 mod p (precomputed):
 *   a·x ≡ a·xl + a'·xh (mod p). With a = ah·2^32 + al (ah < 2^29) and likewise a' and b:
 *   L = al·xl + a'l·xh + bl < 2^50 and H = ah·xl + a'h·xh + bh < 2^47 are exact doubles, value = H·2^32 + L.
 *   Carry L's high part into H, then fold with 2^61 ≡ 1: H·2^32 ≡ ⌊H/2^29⌋ + (H mod 2^29)·2^32.
 */

export const MERSENNE_61 = 2n ** 61n - 1n;
const TWO_32 = 4294967296;
const TWO_MINUS_32 = 1 / TWO_32;
const TWO_MINUS_29 = 1 / 536870912;
const LOW_29 = 0x1fffffff;
const TWO_29 = 0x20000000;

/** numPerm permutations, split for the exact arithmetic above (doubles: they feed multiplications). */
export type Permutations = {
  numPerm: number;
  seed: number;
  /** a and b as drawn (for the bench's baseline and for tests). */
  a: bigint[];
  b: bigint[];
  ah: Float64Array;
  al: Float64Array;
  a2h: Float64Array;
  a2l: Float64Array;
  bh: Float64Array;
  bl: Float64Array;
};

export function permutations(numPerm: number, seed = 1): Permutations {
  const next = splitmix32(seed);
  const draw = (min: bigint): bigint => {
    for (;;) {
      const value = (BigInt(next() & LOW_29) << 32n) | BigInt(next() >>> 0);
      if (value >= min && value < MERSENNE_61) return value;
    }
  };
  const a: bigint[] = [];
  const b: bigint[] = [];
  for (let k = 0; k < numPerm; k++) {
    a.push(draw(1n));
    b.push(draw(0n));
  }
  const split = (values: bigint[], shift = 0n): [Float64Array, Float64Array] => {
    const hi = new Float64Array(values.length);
    const lo = new Float64Array(values.length);
    values.forEach((v, k) => {
      const w = (v << shift) % MERSENNE_61;
      hi[k] = Number(w >> 32n);
      lo[k] = Number(w & 0xffffffffn);
    });
    return [hi, lo];
  };
  const [ah, al] = split(a);
  const [a2h, a2l] = split(a, 16n);
  const [bh, bl] = split(b);
  return { numPerm, seed, a, b, ah, al, a2h, a2l, bh, bl };
}

/** h_k(x): the low 32 bits of (a_k·x + b_k) mod p, for one value (tests; the hot loop is in minhash.ts). */
export function permute(perms: Permutations, k: number, x: number): number {
  return reduce(
    perms.ah[k]!,
    perms.al[k]!,
    perms.a2h[k]!,
    perms.a2l[k]!,
    perms.bh[k]!,
    perms.bl[k]!,
    x & 0xffff,
    x >>> 16,
  );
}

/** The same, with BigInt: the reference the fast path is tested against. */
export function permuteReference(perms: Permutations, k: number, x: number): number {
  return Number(((perms.a[k]! * BigInt(x >>> 0) + perms.b[k]!) % MERSENNE_61) & 0xffffffffn);
}

/** See the header. Inlined by hand in minhash.ts's loop; kept here as the readable version. */
export function reduce(
  ah: number,
  al: number,
  a2h: number,
  a2l: number,
  bh: number,
  bl: number,
  xl: number,
  xh: number,
): number {
  const L = al * xl + a2l * xh + bl;
  const low = L >>> 0; // ToUint32 is exact modulo 2^32 for any integral double
  const H = ah * xl + a2h * xh + bh + (L - low) * TWO_MINUS_32;
  const rest = (H >>> 0) & LOW_29;
  let v = low + (H - rest) * TWO_MINUS_29;
  let hi = rest;
  if (v >= TWO_32) {
    v -= TWO_32;
    hi += 1;
  }
  if (hi === TWO_29) return v + 1; // 2^61 ≡ 1
  if (hi === LOW_29 && v === TWO_32 - 1) return 0; // exactly p
  return v;
}

/** A small, well-mixed 32-bit generator (splitmix32): permutations and tests only, not security. */
export function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}
