/**
 * Layered dedup of functions: exact first (same normalised AST hash), then near among what is left (MinHash
 * on token 5-grams, LSH, estimated Jaccard ≥ threshold). One representative per cluster is kept. Pure.
 *
 * The representative is a member that can run on its own if any can (a copy that cannot would leave the
 * cluster without a sample), then the one with the most doctest examples (a natural sample needs them; in
 * LLM mode they become extra tests), then one with a prose docstring (the natural instruction), then the
 * first in the order given (path order). The same order picks each exact group's representative, so a cluster's
 * representative is always the representative of its own exact group: only those take part in the near
 * layer, and copies of one AST cost one signature.
 */
import { optimalParams, type LshParams } from './lshParams.ts';
import { linkNearSteps } from './lsh.ts';
import { MinHasher, estimateJaccard } from './minhash.ts';
import { permutations, type Permutations } from './permutations.ts';

export type DedupInput = {
  /** The normalised AST's hash; null when the function could not be normalised (it stays alone). */
  hash: string | null;
  /** Its token 5-grams (shingles.ts); null or empty: no near matching. */
  shingles: Uint32Array | null;
  /** Whether it can run on its own (no blocker, not nested): what a sample needs. */
  standalone: boolean;
  examples: number;
  hasProse: boolean;
};

/** Where an input landed, for inputs in a cluster of two or more (null for the rest). */
export type Placement =
  | { role: 'representative'; size: number }
  | {
      role: 'duplicate';
      /** Indices into the inputs. */
      of: number;
      kind: 'exact' | 'near';
      /** Estimated Jaccard with the representative (1 for an exact copy of it). */
      similarity: number;
      matched: number;
      matchedSimilarity: number;
      size: number;
    };

export type DedupOptions = { threshold: number; numPerm: number; seed?: number };

export type DedupStats = { exact: number; near: number; clusters: number; signed: number; compared: number };

export type DedupResult = { placements: (Placement | null)[]; stats: DedupStats };

/**
 * Longest run of signatures between two pauses of layeredDedupAsync. A count would not do: a signature
 * costs its shingles x permutations (2,000 standard-library functions took 0.3–0.4 s on bench/dedup.ts's
 * machine, a frozen page); the LSH pauses after each band (about 0.1 s at 100,000 functions).
 */
const STEP_MS = 50;

export function layeredDedup(items: readonly DedupInput[], options: DedupOptions): DedupResult {
  const steps = dedupSteps(items, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same, giving the thread back between steps (the pipeline runs on the page's main thread: 100,000
 * functions are seconds of work). Cancelling through the signal rejects with an AbortError.
 */
export async function layeredDedupAsync(
  items: readonly DedupInput[],
  options: DedupOptions,
  signal?: AbortSignal,
): Promise<DedupResult> {
  const steps = dedupSteps(items, options);
  for (;;) {
    signal?.throwIfAborted();
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

function* dedupSteps(items: readonly DedupInput[], options: DedupOptions): Generator<void, DedupResult> {
  const better = (i: number, j: number): boolean => {
    const a = items[i]!;
    const b = items[j]!;
    if (a.standalone !== b.standalone) return a.standalone;
    if (a.examples !== b.examples) return a.examples > b.examples;
    if (a.hasProse !== b.hasProse) return a.hasProse;
    return i < j;
  };

  // Exact layer.
  const exactRep = new Int32Array(items.length);
  const byHash = new Map<string, number>();
  items.forEach((item, i) => {
    exactRep[i] = i;
    if (item.hash === null) return;
    const first = byHash.get(item.hash);
    if (first === undefined) byHash.set(item.hash, i);
    else if (better(i, exactRep[first]!)) exactRep[first] = i;
  });
  items.forEach((item, i) => {
    if (item.hash !== null) exactRep[i] = exactRep[byHash.get(item.hash)!]!;
  });

  // Near layer, over one member per exact group.
  const nodes: number[] = [];
  items.forEach((item, i) => {
    if (exactRep[i] === i && item.shingles && item.shingles.length > 0) nodes.push(i);
  });
  const perms = cachedPermutations(options.numPerm, options.seed ?? 1);
  const hasher = new MinHasher(perms);
  const signatures = new Uint32Array(nodes.length * perms.numPerm);
  let stepStart = Date.now();
  for (let n = 0; n < nodes.length; n++) {
    hasher.signInto(items[nodes[n]!]!.shingles!, signatures, n * perms.numPerm);
    if (Date.now() - stepStart >= STEP_MS) {
      yield;
      stepStart = Date.now();
    }
  }
  yield;
  const near = yield* linkNearSteps(signatures, nodes.length, perms.numPerm, options.threshold, cachedParams(options));

  // Each near cluster's representative, and the tree of links from it.
  const members = new Map<number, number[]>();
  nodes.forEach((_, n) => {
    const root = near.cluster[n]!;
    const list = members.get(root);
    if (list) list.push(n);
    else members.set(root, [n]);
  });
  const adjacent = new Map<number, { to: number; similarity: number }[]>();
  for (const { a, b, similarity } of near.links) {
    (adjacent.get(a) ?? adjacent.set(a, []).get(a)!).push({ to: b, similarity });
    (adjacent.get(b) ?? adjacent.set(b, []).get(b)!).push({ to: a, similarity });
  }
  const finalRep = new Int32Array(items.length).map((_, i) => i);
  const nearLink = new Map<number, { of: number; similarity: number; matched: number; matchedSimilarity: number }>();
  for (const list of members.values()) {
    if (list.length < 2) continue;
    const rep = list.reduce((best, n) => (better(nodes[n]!, nodes[best]!) ? n : best));
    const seen = new Set([rep]);
    const queue = [rep];
    while (queue.length > 0) {
      const n = queue.shift()!;
      for (const { to, similarity } of adjacent.get(n) ?? []) {
        if (seen.has(to)) continue;
        seen.add(to);
        queue.push(to);
        nearLink.set(nodes[to]!, {
          of: nodes[rep]!,
          similarity: estimateJaccard(signatures, perms.numPerm, to, rep),
          matched: nodes[n]!,
          matchedSimilarity: similarity,
        });
      }
    }
    for (const n of list) finalRep[nodes[n]!] = nodes[rep]!;
  }

  yield; // the trees take about half a second at 100,000 functions (bench/dedup.ts)

  // Every function's place.
  const repOf = (i: number): number => finalRep[exactRep[i]!]!;
  const sizes = new Map<number, number>();
  items.forEach((_, i) => sizes.set(repOf(i), (sizes.get(repOf(i)) ?? 0) + 1));
  const stats: DedupStats = { exact: 0, near: 0, clusters: 0, signed: nodes.length, compared: near.compared };
  const placements = items.map((_, i): Placement | null => {
    const rep = repOf(i);
    const size = sizes.get(rep)!;
    if (size < 2) return null;
    if (rep === i) {
      stats.clusters += 1;
      return { role: 'representative', size };
    }
    const e = exactRep[i]!;
    const link = e === i ? nearLink.get(i)! : null;
    const kind = e === rep ? 'exact' : 'near';
    stats[kind] += 1;
    if (link) return { role: 'duplicate', kind, size, ...link };
    const similarity = e === rep ? 1 : nearLink.get(e)!.similarity;
    return { role: 'duplicate', of: rep, kind, similarity, matched: e, matchedSimilarity: 1, size };
  });
  return { placements, stats };
}

const permsCache = new Map<string, Permutations>();
const paramsCache = new Map<string, LshParams>();

export function cachedPermutations(numPerm: number, seed: number): Permutations {
  const key = `${numPerm}/${seed}`;
  let perms = permsCache.get(key);
  if (!perms) permsCache.set(key, (perms = permutations(numPerm, seed)));
  return perms;
}

export function cachedParams({ threshold, numPerm }: DedupOptions): LshParams {
  const key = `${threshold}/${numPerm}`;
  let params = paramsCache.get(key);
  if (!params) paramsCache.set(key, (params = optimalParams(threshold, numPerm)));
  return params;
}
