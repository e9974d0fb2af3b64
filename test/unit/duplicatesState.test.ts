/**
 * The Duplicates view's state: it reads the dedup rows when first shown (not before), again only when a
 * dedup phase finishes, gives the function table's last lines to the clusters, and turns a failed read
 * into a notice that goes away when a later read succeeds.
 */
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEDUP_SETTINGS, type DedupRow, type DedupSummary } from '../../src/domain/dataset.ts';
import { StorageError } from '../../src/domain/errors.ts';
import type { FunctionRow, ProjectRow } from '../../src/domain/records.ts';
import { DuplicatesState } from '../../src/state/duplicates.svelte.ts';
import { Notices } from '../../src/state/notices.svelte.ts';
import type { Services } from '../../src/state/services.ts';

const KEPT: DedupRow = {
  functionId: 'p|a.py|1|f',
  projectId: 'p',
  path: 'a.py',
  schemaVersion: 4,
  qualname: 'f',
  lineno: 1,
  duplicateOf: null,
  kind: null,
  similarity: null,
  matched: null,
  size: 2,
};
const COPY: DedupRow = {
  ...KEPT,
  functionId: 'p|b.py|3|g',
  path: 'b.py',
  qualname: 'g',
  lineno: 3,
  duplicateOf: KEPT.functionId,
  kind: 'near',
  similarity: 0.8,
  matched: { functionId: KEPT.functionId, similarity: 0.8 },
};

function project(dedup: Partial<DedupSummary> | null): ProjectRow {
  const summary: DedupSummary = {
    settings: { ...DEFAULT_DEDUP_SETTINGS, threshold: 0.75 },
    files: 2,
    filesDone: 2,
    functions: 2,
    clusters: 1,
    exact: 0,
    near: 1,
    finishedAt: 1,
    ...dedup,
  };
  return { id: 'p', phase: 'done', ...(dedup ? { dedup: summary } : {}) } as unknown as ProjectRow;
}

function setup(read: () => Promise<DedupRow[]>) {
  let reads = 0;
  const services = {
    reads: {
      dedupRows: async (projectId: string) => {
        expect(projectId).toBe('p');
        reads += 1;
        return read();
      },
    },
  } as unknown as Services;
  const notices = new Notices();
  const functions = [{ id: COPY.functionId, endLine: 9 } as FunctionRow];
  const state = new DuplicatesState(services, notices, () => functions);
  return { state, notices, reads: () => reads };
}

describe('the Duplicates view state', () => {
  it('reads when shown, again only when a dedup phase finishes, with the threshold it was found with', async () => {
    const { state, reads } = setup(async () => [KEPT, COPY]);
    state.follow(project({}));
    expect(reads()).toBe(0);
    await state.show();
    flushSync();
    expect(reads()).toBe(1);
    const [cluster] = state.clusters;
    expect(cluster!.kept?.qualname).toBe('f');
    expect(cluster!.copies[0]).toMatchObject({
      qualname: 'g',
      endLine: 9,
      why: 'near: Jaccard 0.80 ≥ 0.75 over token 5-grams',
    });

    state.follow(project({ filesDone: 2 }));
    await state.show();
    expect(reads()).toBe(1);
    state.follow(project({ finishedAt: 2 }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reads()).toBe(2);
  });

  it('turns a failed read into a notice, and reads again the next time it is shown', async () => {
    let fail = true;
    const { state, notices, reads } = setup(async () => {
      if (fail) throw new StorageError('unknown', 'NotReadableError');
      return [KEPT, COPY];
    });
    state.follow(project({}));
    await state.show();
    expect(notices.list.map((n) => n.id)).toEqual(['duplicates']);
    expect(notices.list[0]!.text).toMatch(/^Reading the clusters of duplicates failed/);
    expect(state.clusters).toEqual([]);
    expect(state.loading).toBe(false);
    fail = false;
    await state.show();
    expect(reads()).toBe(2);
    expect(notices.list).toEqual([]);
    expect(state.clusters).toHaveLength(1);
  });
});
