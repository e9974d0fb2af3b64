/**
 * The Duplicates view's clusters, from a project's dedup rows (core/dedup): each cluster's representative
 * (the function kept) with the copies merged into it, and why each one is a copy, in words. Pure.
 *
 * A cluster is every function linked by matches, so a near copy may have been matched with another copy
 * on the way to the representative (its row's `matched`): the reason then names that one, with the
 * similarity of that match, and gives the similarity with the representative too (which may be lower).
 */
import type { DedupRow, DedupSummary } from '../domain/dataset.ts';

export type ClusterMember = {
  functionId: string;
  path: string;
  qualname: string;
  lineno: number;
  /** The function's last line, when the function table knows it. */
  endLine: number | null;
};

export type MergedCopy = ClusterMember & {
  kind: 'exact' | 'near';
  /** Estimated Jaccard similarity with the representative (1 for an exact copy). */
  similarity: number;
  why: string;
};

export type DuplicateCluster = {
  /** The representative's id, and its row (null when that row could not be read). */
  keptId: string;
  kept: ClusterMember | null;
  /** Exact copies first, then the most similar. */
  copies: MergedCopy[];
};

export const EXACT_WHY = 'same code up to names, formatting and docstrings';

/**
 * Clusters, the largest first (then by the representative's path). `threshold`: the Jaccard similarity the
 * rows were found with; `endLines`: the last line of functions the caller knows (the function table's rows).
 */
export function duplicateClusters(
  rows: readonly DedupRow[],
  threshold: number,
  endLines: ReadonlyMap<string, number> = new Map(),
): DuplicateCluster[] {
  const byId = new Map(rows.map((row) => [row.functionId, row]));
  const member = (row: DedupRow): ClusterMember => ({
    functionId: row.functionId,
    path: row.path,
    qualname: row.qualname,
    lineno: row.lineno,
    endLine: endLines.get(row.functionId) ?? null,
  });
  const clusters = new Map<string, DuplicateCluster>();
  const clusterOf = (keptId: string): DuplicateCluster => {
    let cluster = clusters.get(keptId);
    if (!cluster) {
      const kept = byId.get(keptId);
      clusters.set(keptId, (cluster = { keptId, kept: kept ? member(kept) : null, copies: [] }));
    }
    return cluster;
  };
  for (const row of rows) {
    if (row.duplicateOf === null) {
      clusterOf(row.functionId);
      continue;
    }
    const kind = row.kind ?? 'near';
    const similarity = row.similarity ?? 1;
    const why = kind === 'exact' ? EXACT_WHY : nearWhy(row, similarity, threshold, byId);
    clusterOf(row.duplicateOf).copies.push({ ...member(row), kind, similarity, why });
  }
  const list = [...clusters.values()].filter((cluster) => cluster.copies.length > 0);
  for (const { copies } of list)
    copies.sort((a, b) => rank(a) - rank(b) || b.similarity - a.similarity || byPlace(a, b));
  return list.sort(
    (a, b) => b.copies.length - a.copies.length || byPlace(a.kept ?? a.copies[0]!, b.kept ?? b.copies[0]!),
  );
}

/** What the summary line says: how many copies, found how, and what happens to them. */
export function duplicatesSummaryText(summary: DedupSummary | undefined, phase: string): string {
  if (!summary)
    return phase === 'deduplicating'
      ? 'Looking for duplicates…'
      : 'This project was not searched for duplicates (it was made before Semiverse looked for them).';
  const how = `Jaccard ≥ ${fixed(summary.settings.threshold)} over token 5-grams, ${summary.settings.numPerm} permutations`;
  if (summary.finishedAt === null)
    return `Looking for duplicates: ${summary.filesDone} of ${summary.files} files read (${how}).`;
  const copies = summary.exact + summary.near;
  if (copies === 0) return `No copies among ${summary.functions} functions (${how}).`;
  return (
    `${copies} ${copies === 1 ? 'copy' : 'copies'} (${summary.exact} exact, ${summary.near} near) in ` +
    `${summary.clusters} ${summary.clusters === 1 ? 'cluster' : 'clusters'}, among ${summary.functions} functions ` +
    `(${how}). Copies are left out of the export and of the LLM stages. Each cluster keeps one function: one ` +
    'that runs on its own, then the one with the most doctest examples, then one with a docstring, then the first by path.'
  );
}

/** Lines as a person reads them: `12–30`, or `12` when the end is not known. */
export function linesText({ lineno, endLine }: Pick<ClusterMember, 'lineno' | 'endLine'>): string {
  return endLine !== null && endLine > lineno ? `${lineno}–${endLine}` : `${lineno}`;
}

export function fixed(value: number): string {
  return value.toFixed(2);
}

function nearWhy(row: DedupRow, similarity: number, threshold: number, byId: ReadonlyMap<string, DedupRow>): string {
  const via = row.matched && row.matched.functionId !== row.duplicateOf ? row.matched : null;
  if (!via) return `near: Jaccard ${fixed(similarity)} ≥ ${fixed(threshold)} over token 5-grams`;
  const other = byId.get(via.functionId);
  const name = other ? `${other.qualname} (${other.path}:${other.lineno})` : 'another copy';
  return (
    `near: Jaccard ${fixed(via.similarity)} ≥ ${fixed(threshold)} over token 5-grams with ${name}, ` +
    `which is in this cluster; ${fixed(similarity)} with the one kept`
  );
}

function rank(copy: MergedCopy): number {
  return copy.kind === 'exact' ? 0 : 1;
}

function byPlace(a: Pick<ClusterMember, 'path' | 'lineno'>, b: Pick<ClusterMember, 'path' | 'lineno'>): number {
  return a.path === b.path ? a.lineno - b.lineno : a.path < b.path ? -1 : 1;
}
