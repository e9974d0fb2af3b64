import { describe, expect, it } from 'vitest';
import { layeredDedup, layeredDedupAsync, type DedupInput } from './layered.ts';
import { shingles } from './shingles.ts';

const OPTIONS = { threshold: 0.7, numPerm: 128 };

/** A token sequence of `n` distinct tokens starting at `from`, with `changes` positions replaced. */
function tokens(from: number, n: number, changes: number[] = []): string[] {
  return Array.from({ length: n }, (_, i) => (changes.includes(i) ? `changed${i}` : `t${from + i}`));
}

function input(hash: string | null, toks: string[] | null, more: Partial<DedupInput> = {}): DedupInput {
  return { hash, shingles: toks && shingles(toks), standalone: true, examples: 0, hasProse: false, ...more };
}

describe('layered dedup', () => {
  it('puts exact copies together, then near ones, and leaves the rest alone', () => {
    const { placements, stats } = layeredDedup(
      [
        input('A', tokens(0, 80)),
        input('B', tokens(1000, 80)),
        input('A', tokens(0, 80)), // exact copy of 0
        input('C', tokens(0, 80, [40])), // one token changed: near 0 (Jaccard ~0.9)
        input('D', tokens(0, 80, [10, 30, 50, 70])), // four changed: Jaccard ~0.6, below the threshold
        input(null, null), // not normalised: alone
      ],
      OPTIONS,
    );
    expect(placements[0]).toEqual({ role: 'representative', size: 3 });
    expect(placements[1]).toBeNull();
    expect(placements[2]).toMatchObject({ role: 'duplicate', of: 0, kind: 'exact', similarity: 1, matched: 0 });
    expect(placements[3]).toMatchObject({ role: 'duplicate', of: 0, kind: 'near', matched: 0 });
    if (placements[3]?.role === 'duplicate') expect(placements[3].similarity).toBeGreaterThan(0.8);
    expect(placements[4]).toBeNull();
    expect(placements[5]).toBeNull();
    expect(stats).toMatchObject({ exact: 1, near: 1, clusters: 1 });
  });

  it('keeps the copy that can run alone, then the one with the most doctests, then a docstring, then the first', () => {
    const same = tokens(0, 60);
    const pick = (items: DedupInput[]) =>
      layeredDedup(items, OPTIONS).placements.findIndex((p) => p?.role === 'representative');
    expect(pick([input('A', same), input('A', same, { hasProse: true })])).toBe(1);
    expect(pick([input('A', same, { hasProse: true }), input('A', same, { examples: 2 })])).toBe(1);
    expect(pick([input('A', same, { examples: 5, standalone: false }), input('A', same)])).toBe(1);
    expect(pick([input('A', same), input('A', same)])).toBe(0);
    // Across layers too: the near copy with doctests represents the exact pair.
    const near = tokens(0, 60, [30]);
    expect(pick([input('A', same), input('A', same), input('B', near, { examples: 1 })])).toBe(2);
  });

  it('names, for a copy of a copy, the match that linked it and its similarity with the representative', () => {
    // 0 ~ 1 ~ 2 with 0 and 2 further apart: one cluster, 2 linked through 1.
    const base = tokens(0, 100);
    const { placements } = layeredDedup(
      [input('A', base), input('B', tokens(0, 100, [20])), input('C', tokens(0, 100, [20, 60]))],
      OPTIONS,
    );
    expect(placements[0]).toEqual({ role: 'representative', size: 3 });
    const third = placements[2];
    expect(third?.role).toBe('duplicate');
    if (third?.role !== 'duplicate') return;
    expect(third.of).toBe(0);
    expect([0, 1]).toContain(third.matched);
    expect(third.matchedSimilarity).toBeGreaterThanOrEqual(0.7);
  });

  it('gives the same clusters in any order, and the same answer without blocking the thread', async () => {
    // 60 functions: 10 bodies, each as exact copies and near copies (one token changed).
    const items = Array.from({ length: 60 }, (_, i) => {
      const body = i % 10;
      const variant = Math.floor(i / 10) % 3; // 0: the body, 1: an exact copy, 2: a near copy
      return variant === 2
        ? input(`near${i}`, tokens(body * 500, 100, [i % 100]))
        : input(`h${body}`, tokens(body * 500, 100));
    });
    const clusters = (order: number[]) => {
      const { placements } = layeredDedup(
        order.map((i) => items[i]!),
        OPTIONS,
      );
      const members = new Map<number, number[]>();
      placements.forEach((p, at) => {
        const rep = p?.role === 'duplicate' ? order[p.of]! : order[at]!;
        members.set(rep, [...(members.get(rep) ?? []), order[at]!]);
      });
      return [...members.values()].map((m) => m.sort((a, b) => a - b).join(',')).sort();
    };
    const forward = items.map((_, i) => i);
    expect(clusters(forward)).toHaveLength(10);
    expect(clusters([...forward].reverse())).toEqual(clusters(forward));
    expect((await layeredDedupAsync(items, OPTIONS)).placements).toEqual(layeredDedup(items, OPTIONS).placements);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(layeredDedupAsync([input('A', tokens(0, 10))], OPTIONS, controller.signal)).rejects.toThrow();
  });
});
