import { describe, expect, it } from 'vitest';
import { integrate, optimalParams } from './lshParams.ts';

/**
 * [threshold, numPerm, bands, rows] as datasketch's _optimal_param gives them (scipy.integrate.quad),
 * computed with scipy 1.17 on this machine.
 */
const SCIPY: [number, number, number, number][] = [
  [0.5, 64, 14, 4], [0.6, 64, 10, 6], [0.7, 64, 8, 8], [0.8, 64, 5, 11], [0.85, 64, 4, 15], [0.9, 64, 3, 21],
  [0.5, 128, 25, 5], [0.6, 128, 18, 7], [0.7, 128, 14, 9], [0.8, 128, 9, 13], [0.85, 128, 8, 16], [0.9, 128, 5, 25],
  [0.5, 250, 41, 6], [0.6, 250, 31, 8], [0.7, 250, 25, 10], [0.8, 250, 16, 15], [0.85, 250, 13, 19], [0.9, 250, 9, 27],
  [0.5, 256, 42, 6], [0.6, 256, 32, 8], [0.7, 256, 25, 10], [0.8, 256, 17, 15], [0.85, 256, 13, 19], [0.9, 256, 9, 28],
]; // prettier-ignore

describe("LSH parameters as datasketch's _optimal_param chooses them", () => {
  it.each(SCIPY)('threshold %s with %s permutations: %s bands of %s rows', (threshold, numPerm, bands, rows) => {
    expect(optimalParams(threshold, numPerm)).toEqual({ bands, rows });
  });

  it('integrates to the closed form', () => {
    expect(integrate((x) => x ** 9, 0, 1)).toBeCloseTo(0.1, 12);
    // 1 − (1 − s^r)^b is steep for large b: the adaptive rule must still get it right.
    const b = 250;
    const exact = 1 - 1 / (b + 1); // ∫₀¹ 1 − (1 − s)^b ds
    expect(integrate((s) => 1 - (1 - s) ** b, 0, 1)).toBeCloseTo(exact, 10);
  });
});
