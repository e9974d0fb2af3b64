import { describe, expect, it } from 'vitest';
import { instructionDuplicates } from './instructionDuplicates.ts';

const LONG =
  'Write a Python function named `merge_intervals` that takes a list of (start, end) pairs, sorts them by ' +
  'start, and merges every pair of overlapping intervals into one, returning the merged list in order.';

describe('instructionDuplicates', () => {
  it('maps a reworded copy and an exact copy to the first, and leaves different instructions alone', () => {
    const items = [
      { id: 'a', text: LONG },
      { id: 'b', text: 'Write a function that adds two numbers.' },
      { id: 'c', text: LONG.replace('returning the merged list in order', 'returning the merged list, in order') },
      { id: 'd', text: LONG.toUpperCase() },
      { id: 'e', text: LONG.replace('overlapping', 'touching') },
      { id: 'f', text: 'Write a Python function that parses an ISO 8601 date and returns the weekday as a string.' },
    ];
    const found = instructionDuplicates(items);
    expect(found.get('c')?.of).toBe('a');
    expect(found.get('d')).toEqual({ of: 'a', jaccard: 1 });
    expect(found.get('e')?.of).toBe('a');
    expect(found.get('e')!.jaccard).toBeGreaterThan(0.7);
    expect(found.has('a')).toBe(false);
    expect(found.has('b')).toBe(false);
    expect(found.has('f')).toBe(false);
  });

  it('follows the threshold it is given', () => {
    const items = [
      { id: 'a', text: LONG },
      { id: 'e', text: LONG.replace('overlapping', 'touching') },
    ];
    expect(instructionDuplicates(items, { threshold: 0.5 }).has('e')).toBe(true);
    expect(instructionDuplicates(items, { threshold: 0.95 }).has('e')).toBe(false);
  });

  it('handles nothing, and empty texts (which match nothing)', () => {
    expect(instructionDuplicates([]).size).toBe(0);
    expect(
      instructionDuplicates([
        { id: 'x', text: '' },
        { id: 'y', text: '  ' },
      ]).size,
    ).toBe(0);
  });
});
