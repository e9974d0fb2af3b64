"""The dedup bench's native baseline (bench/dedup.ts writes its input, reads its output): the same exact
layer, MinHash and LSH work as src/core/dedup/layered.ts, done the way datasketch does it, with NumPy.

- Exact layer: one member per group of equal AST hashes (the first), as layered.ts.
- MinHash: datasketch's MinHash.update_batch per set: the shingle hashes as a column of uint64, times the
  permutations' `a`, plus `b`, modulo the Mersenne prime 2^61 - 1, AND 2^32 - 1, stacked on the initial
  2^32 - 1 values and the minimum taken over axis 0. `a`, `b` and the shingle hashes are the ones the app
  uses (read from the input), so nothing but the arithmetic differs. Two arithmetics, both timed:
  - "datasketch": datasketch's own expression, whose `a * hv` wraps at 2^64 before the modulo (what
    datasketch computes; not (a·x + b) mod p once a·x passes 2^64);
  - "exact": (a·x + b) mod p computed exactly in uint64 pieces, as the app does: its signatures, and so
    its clusters, must equal the app's.
- LSH: datasketch's MinHashLSH with b bands of r rows (the app's choice for the threshold): each band's
  values as bytes, a dict per band from those bytes to the sets inserted, each set queried before it is
  inserted (its candidates are the sets already in a bucket it falls in). A candidate pair is a match when
  the share of equal signature values reaches the threshold (datasketch's MinHash.jaccard; every candidate
  of a set is compared at once, vectorised, where the app skips pairs already in one cluster); clusters
  are union-find over the matches, represented by their first member, as in the app.

Usage: python3 bench/dedup_native.py DIR, with DIR/params.json, shingles.u32, offsets.u32, groups.i32.
Prints one JSON object per arithmetic, and writes DIR/reps-<arithmetic>.i32 (each set's representative).
"""

import json
import os
import sys
import time

import numpy as np

MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
LOW_29 = np.uint64((1 << 29) - 1)
LOW_32 = np.uint64((1 << 32) - 1)


def sign_datasketch(hv, a, b, init):
    phv = np.bitwise_and((hv * a + b) % MERSENNE, MAX_HASH)
    return np.vstack([phv, init]).min(axis=0)


def sign_exact(hv, a, b, init, ah, al):
    # a = ah·2^32 + al; a·x = (ah·x)·2^32 + al·x, each product below 2^64; 2^61 ≡ 1 (mod p).
    t2 = hv * ah
    t1 = hv * al
    folded = (t2 >> np.uint64(29)) + ((t2 & LOW_29) << np.uint64(32)) + (t1 % MERSENNE) + b
    phv = np.bitwise_and(folded % MERSENNE, MAX_HASH)
    return np.vstack([phv, init]).min(axis=0)


def run(arithmetic, shingles, offsets, groups, params):
    num_perm, bands, rows, threshold = params["numPerm"], params["bands"], params["rows"], params["threshold"]
    a = np.array([int(v) for v in params["a"]], dtype=np.uint64)
    b = np.array([int(v) for v in params["b"]], dtype=np.uint64)
    ah, al = a >> np.uint64(32), a & LOW_32
    init = np.full(num_perm, MAX_HASH, dtype=np.uint64)
    n = len(groups)
    started = time.perf_counter()

    # Exact layer: the first of each group of equal hashes stands for it.
    nodes = [i for i in range(n) if (groups[i] < 0 or groups[i] == i) and offsets[i + 1] > offsets[i]]

    signatures = np.empty((len(nodes), num_perm), dtype=np.uint64)
    for k, i in enumerate(nodes):
        hv = np.array(shingles[offsets[i] : offsets[i + 1]], dtype=np.uint64, ndmin=2).T
        if arithmetic == "datasketch":
            signatures[k] = sign_datasketch(hv, a, b, init)
        else:
            signatures[k] = sign_exact(hv, a, b, init, ah, al)
    signed = time.perf_counter()

    parent = list(range(len(nodes)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    tables = [{} for _ in range(bands)]
    band_bytes = [signatures[:, band * rows : (band + 1) * rows].copy() for band in range(bands)]
    candidates_total = 0
    links = 0
    for k in range(len(nodes)):
        candidates = set()
        for band in range(bands):
            key = band_bytes[band][k].tobytes()
            bucket = tables[band].get(key)
            if bucket is None:
                tables[band][key] = [k]
            else:
                candidates.update(bucket)
                bucket.append(k)
        if not candidates:
            continue
        others = list(candidates)
        candidates_total += len(others)
        similarity = np.count_nonzero(signatures[others] == signatures[k], axis=1) / num_perm
        for j, s in zip(others, similarity):
            if s >= threshold:
                rj, rk = find(j), find(k)
                if rj != rk:
                    parent[max(rj, rk)] = min(rj, rk)
                    links += 1

    # Representatives: a near cluster's first member, and every member of an exact group follows its own.
    first = {}
    for k, i in enumerate(nodes):
        root = find(k)
        first.setdefault(root, i)
    rep_of_node = {i: first[find(k)] for k, i in enumerate(nodes)}
    reps = np.empty(n, dtype=np.int32)
    for i in range(n):
        g = groups[i] if groups[i] >= 0 else i
        reps[i] = rep_of_node.get(g, g)
    finished = time.perf_counter()
    return reps, {
        "arithmetic": arithmetic,
        "signed": len(nodes),
        "minhashSeconds": signed - started,
        "lshSeconds": finished - signed,
        "totalSeconds": finished - started,
        "candidatePairs": candidates_total,
        "links": links,
    }


def main(directory):
    with open(os.path.join(directory, "params.json"), encoding="utf-8") as f:
        params = json.load(f)
    # Plain Python lists for the per-set slices (datasketch is handed Python values, one set at a time).
    shingles = np.fromfile(os.path.join(directory, "shingles.u32"), dtype=np.uint32)
    offsets = np.fromfile(os.path.join(directory, "offsets.u32"), dtype=np.uint32).tolist()
    groups = np.fromfile(os.path.join(directory, "groups.i32"), dtype=np.int32).tolist()
    for arithmetic in params["arithmetics"]:
        reps, stats = run(arithmetic, shingles, offsets, groups, params)
        reps.tofile(os.path.join(directory, f"reps-{arithmetic}.i32"))
        stats["python"] = sys.version.split()[0]
        stats["numpy"] = np.__version__
        print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
