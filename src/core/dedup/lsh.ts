/**
 * Near duplicates by LSH over MinHash signatures: each signature is cut into `bands` bands of `rows`
 * values; sets that agree on a whole band are candidates, and a candidate pair is a match when its
 * estimated Jaccard similarity reaches the threshold. Clusters are the connected parts of the matches
 * (union-find). Invariants:
 * - the clusters do not depend on the order sets are given in: a pair already in one cluster is not
 *   compared again (that changes which matches are recorded, never which sets end up together);
 * - every recorded link joined two clusters, so a cluster's links form a tree (the cluster view walks it).
 *
 * Items go in one at a time: query each band's bucket, compare, then join the bucket (datasketch's
 * MinHashLSH insert/query, as its users run it for dedup).
 */
import type { LshParams } from './lshParams.ts';
import { estimateJaccard } from './minhash.ts';

/** A match that joined two clusters: sets `a` and `b` (indices), and their estimated Jaccard similarity. */
export type NearLink = { a: number; b: number; similarity: number };

export type NearResult = {
  /** Each set's cluster, as the index of one of its members (the same index for the whole cluster). */
  cluster: Int32Array;
  links: NearLink[];
  /** Candidate pairs compared (pairs already in one cluster are not). */
  compared: number;
};

/**
 * `signatures`: `numPerm` values per set, `count` sets. `eligible(i)` false leaves set i out (an empty
 * set: every minimum is 2^32 − 1, so two empty sets would look identical).
 */
export function linkNear(
  signatures: Uint32Array,
  count: number,
  numPerm: number,
  threshold: number,
  params: LshParams,
  eligible: (i: number) => boolean = () => true,
): NearResult {
  const steps = linkNearSteps(signatures, count, numPerm, threshold, params, eligible);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The same, pausing after each band (layered.ts gives the page's thread back there). */
export function* linkNearSteps(
  signatures: Uint32Array,
  count: number,
  numPerm: number,
  threshold: number,
  { bands, rows }: LshParams,
  eligible: (i: number) => boolean = () => true,
): Generator<void, NearResult> {
  if (bands * rows > numPerm) throw new RangeError(`${bands} bands of ${rows} rows need ${bands * rows} permutations`);
  const parent = new Int32Array(count);
  for (let i = 0; i < count; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      const up = parent[parent[i]!]!;
      parent[i] = up; // path halving
      i = up;
    }
    return i;
  };
  const links: NearLink[] = [];
  let compared = 0;
  const next = new Int32Array(count);
  for (let band = 0; band < bands; band++) {
    const heads = new Map<number, number>();
    const start = band * rows;
    for (let i = 0; i < count; i++) {
      if (!eligible(i)) continue;
      const key = bandKey(signatures, i * numPerm + start, rows);
      const head = heads.get(key);
      next[i] = head ?? -1;
      heads.set(key, i);
      for (let j = head ?? -1; j !== -1; j = next[j]!) {
        const ri = find(i);
        const rj = find(j);
        if (ri === rj || !sameBand(signatures, i * numPerm + start, j * numPerm + start, rows)) continue;
        compared += 1;
        const similarity = estimateJaccard(signatures, numPerm, i, j);
        if (similarity < threshold) continue;
        parent[ri > rj ? ri : rj] = ri > rj ? rj : ri;
        links.push({ a: j, b: i, similarity });
      }
    }
    yield;
  }
  const cluster = new Int32Array(count);
  for (let i = 0; i < count; i++) cluster[i] = find(i);
  return { cluster, links, compared };
}

/** A band's values as one number (53 bits of two 32-bit hashes): the bucket it falls in. */
function bandKey(signatures: Uint32Array, offset: number, rows: number): number {
  let h1 = 0x9747b28c;
  let h2 = 0x2545f491;
  for (let k = 0; k < rows; k++) {
    const v = signatures[offset + k]!;
    h1 = Math.imul(h1 ^ v, 0x9e3779b1);
    h1 = (h1 << 13) | (h1 >>> 19);
    h2 = Math.imul(h2 ^ v, 0x85ebca77);
    h2 = (h2 << 17) | (h2 >>> 15);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  return (h1 >>> 0) * 2097152 + (h2 >>> 11);
}

/** Whether two sets agree on a whole band: a bucket key's rare collision is not a candidate. */
function sameBand(signatures: Uint32Array, a: number, b: number, rows: number): boolean {
  for (let k = 0; k < rows; k++) if (signatures[a + k] !== signatures[b + k]) return false;
  return true;
}
