import { describe, expect, it } from 'vitest';
import type { DedupRow, DedupSummary } from '../domain/dataset.ts';
import { DEFAULT_DEDUP_SETTINGS } from '../domain/dataset.ts';
import { EXACT_WHY, duplicateClusters, duplicatesSummaryText, linesText } from './duplicateClusters.ts';

function row(qualname: string, path: string, extra: Partial<DedupRow> = {}): DedupRow {
  return {
    functionId: `p|${path}|1|${qualname}`,
    projectId: 'p',
    path,
    schemaVersion: 4,
    qualname,
    lineno: 1,
    duplicateOf: null,
    kind: null,
    similarity: null,
    matched: null,
    size: 2,
    ...extra,
  };
}

const id = (r: DedupRow): string => r.functionId;

describe('clusters of duplicates', () => {
  // mean kept, with an exact copy; slug kept with a near copy, and a near copy of that copy.
  const mean = row('mean', 'stats.py', { size: 2 });
  const average = row('average', 'vendored/stats.py', {
    duplicateOf: id(mean),
    kind: 'exact',
    similarity: 1,
    matched: { functionId: id(mean), similarity: 1 },
  });
  const slug = row('slug', 'text.py', { size: 3, lineno: 4 });
  const makeSlug = row('make_slug', 'web/urls.py', {
    size: 3,
    duplicateOf: id(slug),
    kind: 'near',
    similarity: 0.832,
    matched: { functionId: id(slug), similarity: 0.832 },
  });
  const slugify = row('slugify', 'web/more.py', {
    size: 3,
    lineno: 9,
    duplicateOf: id(slug),
    kind: 'near',
    similarity: 0.648,
    matched: { functionId: id(makeSlug), similarity: 0.904 },
  });

  it('puts each copy under the one kept, the largest cluster first, exact copies first, and says why', () => {
    const clusters = duplicateClusters([average, makeSlug, mean, slugify, slug], 0.7, new Map([[id(slug), 12]]));
    expect(clusters.map((c) => c.kept?.qualname)).toEqual(['slug', 'mean']);
    const [first, second] = clusters;
    expect(first!.kept).toMatchObject({ path: 'text.py', lineno: 4, endLine: 12 });
    expect(linesText(first!.kept!)).toBe('4–12');
    expect(first!.copies.map((c) => [c.qualname, c.kind, c.similarity, c.why])).toEqual([
      ['make_slug', 'near', 0.832, 'near: Jaccard 0.83 ≥ 0.70 over token 5-grams'],
      [
        'slugify',
        'near',
        0.648,
        'near: Jaccard 0.90 ≥ 0.70 over token 5-grams with make_slug (web/urls.py:1), which is in this cluster; 0.65 with the one kept',
      ],
    ]);
    expect(second!.copies).toEqual([
      { ...second!.copies[0]!, qualname: 'average', kind: 'exact', similarity: 1, why: EXACT_WHY, endLine: null },
    ]);
    expect(linesText(second!.copies[0]!)).toBe('1');
  });

  it('keeps copies whose kept function could not be read, and leaves out a representative alone', () => {
    const clusters = duplicateClusters([makeSlug, mean], 0.7);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({ keptId: id(slug), kept: null });
    expect(clusters[0]!.copies.map((c) => c.qualname)).toEqual(['make_slug']);
    expect(duplicateClusters([], 0.7)).toEqual([]);
  });
});

describe('the summary line', () => {
  const summary: DedupSummary = {
    settings: DEFAULT_DEDUP_SETTINGS,
    files: 4,
    filesDone: 4,
    functions: 5,
    clusters: 2,
    exact: 1,
    near: 2,
    finishedAt: 1,
  };

  it('says what was found and how, while looking, and for a project made before dedup', () => {
    expect(duplicatesSummaryText(summary, 'done')).toMatch(
      /^3 copies \(1 exact, 2 near\) in 2 clusters, among 5 functions \(Jaccard ≥ 0\.70 over token 5-grams, 250 permutations\)\./,
    );
    expect(duplicatesSummaryText({ ...summary, clusters: 0, exact: 0, near: 0 }, 'done')).toBe(
      'No copies among 5 functions (Jaccard ≥ 0.70 over token 5-grams, 250 permutations).',
    );
    expect(duplicatesSummaryText({ ...summary, filesDone: 1, finishedAt: null }, 'deduplicating')).toMatch(
      /^Looking for duplicates: 1 of 4 files read/,
    );
    expect(duplicatesSummaryText(undefined, 'done')).toMatch(/not searched for duplicates/);
  });
});
