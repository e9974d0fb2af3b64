import { describe, expect, it } from 'vitest';
import { shingles, tokenHash, words } from './shingles.ts';

describe('shingles', () => {
  it('are the distinct 5-grams of the tokens, sorted', () => {
    const tokens = 'a b c d e f a b c d e'.split(' ');
    const set = shingles(tokens);
    // 7 windows, "a b c d e" twice.
    expect(set.length).toBe(6);
    expect([...set]).toEqual([...set].sort((x, y) => x - y));
  });

  it('depend on the order of the tokens in a window, and on every token', () => {
    expect(shingles(['a', 'b', 'c', 'd', 'e'])[0]).not.toBe(shingles(['b', 'a', 'c', 'd', 'e'])[0]);
    expect(shingles(['a', 'b', 'c', 'd', 'e'])[0]).not.toBe(shingles(['a', 'b', 'c', 'd', 'f'])[0]);
  });

  it('make one shingle of a sequence shorter than the window, and none of nothing', () => {
    expect(shingles(['x', 'y']).length).toBe(1);
    expect(shingles([]).length).toBe(0);
  });

  it('hash tokens to 32 bits, spread', () => {
    const seen = new Set(Array.from({ length: 10_000 }, (_, i) => tokenHash(`name${i}`)));
    expect(seen.size).toBe(10_000);
    expect([...seen].every((h) => h >= 0 && h <= 0xffffffff)).toBe(true);
  });

  it('read words of an instruction in lower case, punctuation dropped', () => {
    expect(words('Write a Python function `add(a, b)` that returns a+b.')).toEqual([
      'write', 'a', 'python', 'function', 'add', 'a', 'b', 'that', 'returns', 'a', 'b',
    ]); // prettier-ignore
  });
});
