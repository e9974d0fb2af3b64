import { describe, expect, it } from 'vitest';
import { MAX_VALIDATION, pathFraction, splitOf } from './split.ts';

const paths = Array.from({ length: 4000 }, (_, i) => `pkg${i % 37}/module_${i}.py`);

describe('the split by source file', () => {
  it('sends about the chosen share of files to validation, the same way every time', () => {
    for (const share of [0.05, 0.1, 0.25]) {
      const validation = paths.filter((p) => splitOf(p, share) === 'validation').length / paths.length;
      expect(Math.abs(validation - share)).toBeLessThan(0.02);
      expect(paths.map((p) => splitOf(p, share))).toEqual(paths.map((p) => splitOf(p, share)));
    }
  });

  it('keeps a file on one side whatever else is in the export, and grows validation without moving it back', () => {
    const small = paths.filter((p) => splitOf(p, 0.1) === 'validation');
    expect(small.every((p) => splitOf(p, 0.2) === 'validation')).toBe(true);
  });

  it('depends on the seed, not on order; 0 means no validation, and at most half goes there', () => {
    expect(paths.map((p) => splitOf(p, 0.2, 'a'))).not.toEqual(paths.map((p) => splitOf(p, 0.2, 'b')));
    expect(paths.every((p) => splitOf(p, 0) === 'train')).toBe(true);
    const capped = paths.filter((p) => splitOf(p, 0.9) === 'validation').length / paths.length;
    expect(capped).toBeLessThan(MAX_VALIDATION + 0.03);
    for (const p of paths.slice(0, 100)) expect(pathFraction(p, 'x')).toBeGreaterThanOrEqual(0);
    for (const p of paths.slice(0, 100)) expect(pathFraction(p, 'x')).toBeLessThan(1);
  });
});
