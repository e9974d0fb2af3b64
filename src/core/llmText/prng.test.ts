import { describe, expect, it } from 'vitest';
import { hashString, randomIndex, requestSeed, seededRandom } from './prng.ts';

describe('seeded randomness', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = seededRandom(hashString('x', 1));
    const b = seededRandom(hashString('x', 1));
    const c = seededRandom(hashString('x', 2));
    const seq = (r: () => number) => Array.from({ length: 5 }, r);
    const first = seq(a);
    expect(seq(b)).toEqual(first);
    expect(seq(c)).not.toEqual(first);
    for (const v of first) expect(v >= 0 && v < 1).toBe(true);
  });

  it('separates parts, so ("ab", "c") and ("a", "bc") hash differently', () => {
    expect(hashString('ab', 'c')).not.toBe(hashString('a', 'bc'));
  });

  it('covers every index and gives 31-bit seeds', () => {
    const r = seededRandom(7);
    const seen = new Set(Array.from({ length: 200 }, () => randomIndex(r, 7)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const s = requestSeed(r);
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
  });
});
