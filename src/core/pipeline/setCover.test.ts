import { describe, expect, it } from 'vitest';
import { coverCases, type Coverable } from './setCover.ts';

const c = (lines: number[], preference = 0, distinct = `v${lines.join(',')}`): Coverable => ({
  lines,
  preference,
  distinct,
});

/** Every line any case reaches, and those the chosen cases reach. */
function coverage(cases: Coverable[], chosen: number[]): { all: Set<number>; hit: Set<number> } {
  return { all: new Set(cases.flatMap((x) => x.lines)), hit: new Set(chosen.flatMap((i) => cases[i]!.lines)) };
}

describe('coverCases', () => {
  it('keeps one case when one reaches every line the others reach', () => {
    const cases = [c([1, 2]), c([3]), c([1, 2, 3]), c([2])];
    expect(coverCases(cases, 0, 10)).toEqual([2]);
  });

  it('reaches the coverage of all the cases together with fewer of them', () => {
    const cases = [c([1, 2, 3]), c([4, 5, 6]), c([1, 4]), c([2, 5]), c([3, 6]), c([7])];
    const chosen = coverCases(cases, 0, 10);
    expect(chosen).toEqual([0, 1, 5]);
    const { all, hit } = coverage(cases, chosen);
    expect(hit).toEqual(all);
  });

  it('prefers the more preferred of two cases that reach the same lines', () => {
    const cases = [c([1, 2], 0), c([1, 2], 3), c([1, 2], 1)];
    expect(coverCases(cases, 0, 10)).toEqual([1]);
  });

  it('tops up to the minimum with outcomes not seen yet, then by preference', () => {
    const cases = [
      c([1, 2], 5, 'ok:1'),
      c([1], 4, 'ok:1'),
      c([1], 1, 'raise:ValueError'),
      c([2], 3, 'ok:1'),
      c([1], 0, 'ok:2'),
    ];
    // Case 0 covers everything; then the two other outcomes (more preferred first), then preference.
    expect(coverCases(cases, 3, 10)).toEqual([0, 2, 4]);
    expect(coverCases(cases, 4, 10)).toEqual([0, 1, 2, 4]);
  });

  it('never keeps more than the maximum, even when full coverage needs more', () => {
    const cases = [c([1]), c([2]), c([3]), c([4])];
    expect(coverCases(cases, 0, 2)).toHaveLength(2);
    expect(coverCases(cases, 5, 3)).toHaveLength(3);
  });

  it('keeps what there is when there are fewer cases than the minimum', () => {
    expect(coverCases([c([1]), c([1])], 3, 10)).toEqual([0, 1]);
    expect(coverCases([], 3, 10)).toEqual([]);
  });

  it('tops up cases that reach no line at all (coverage not measured)', () => {
    const cases = [c([], 0, 'ok:a'), c([], 2, 'ok:a'), c([], 1, 'ok:b')];
    expect(coverCases(cases, 2, 10)).toEqual([1, 2]);
  });

  it('covers mutants (negative numbers) like lines', () => {
    // Case 1 reaches the same lines as case 0 but also catches mutant 0 (-1).
    const cases = [c([1, 2], 5), c([1, 2, -1], 0), c([3])];
    expect(coverCases(cases, 0, 10)).toEqual([1, 2]);
  });

  it('returns indexes in ascending order, each once', () => {
    const cases = Array.from({ length: 30 }, (_, i) => c([i % 7, ((i * 3) % 11) + 10], i % 5, `o${i % 4}`));
    const chosen = coverCases(cases, 8, 12);
    expect(chosen).toEqual([...new Set(chosen)].sort((a, b) => a - b));
    expect(chosen.length).toBeGreaterThanOrEqual(8);
    expect(chosen.length).toBeLessThanOrEqual(12);
  });
});
