/**
 * LSH banding for a Jaccard threshold, chosen as datasketch's `_optimal_param` does: of every (b bands,
 * r rows) with b·r ≤ numPerm, the one that minimises the weighted sum of the false-positive probability
 * (∫₀ᵗ P(candidate | s) ds) and the false-negative one (∫ₜ¹ P(not candidate | s) ds), where a pair of
 * Jaccard s shares a band with probability 1 − (1 − s^r)^b. datasketch integrates with scipy's `quad`;
 * adaptive Gauss–Kronrod (7/15 points) here gives the same choices (lshParams.test.ts checks a table that
 * scipy computed).
 */

export type LshParams = { bands: number; rows: number };

export function optimalParams(threshold: number, numPerm: number, weights: [number, number] = [0.5, 0.5]): LshParams {
  const [fpWeight, fnWeight] = weights;
  let best = Infinity;
  let opt: LshParams = { bands: 0, rows: 0 };
  for (let b = 1; b <= numPerm; b++) {
    const maxR = Math.floor(numPerm / b);
    for (let r = 1; r <= maxR; r++) {
      const candidate = (s: number): number => 1 - (1 - s ** r) ** b;
      const fp = integrate(candidate, 0, threshold);
      const fn = integrate((s) => 1 - candidate(s), threshold, 1);
      const error = fp * fpWeight + fn * fnWeight;
      if (error < best) {
        best = error;
        opt = { bands: b, rows: r };
      }
    }
  }
  return opt;
}

// Gauss–Kronrod 7/15 nodes and weights on [-1, 1] (QUADPACK's qk15).
const XGK = [
  0.991455371120813, 0.949107912342759, 0.864864423359769, 0.741531185599394, 0.586087235467691, 0.405845151377397,
  0.207784955007898, 0,
];
const WGK = [
  0.02293532201052922, 0.063092092629979, 0.10479001032225, 0.140653259715525, 0.169004726639267, 0.190350578064785,
  0.204432940075298, 0.209482141084728,
];
const WG = [0.12948496616887, 0.279705391489277, 0.381830050505119, 0.417959183673469];

/** ∫ₐᵇ f, to an absolute error well under the gaps between the candidates' errors. */
export function integrate(f: (x: number) => number, a: number, b: number, tolerance = 1e-11, depth = 0): number {
  if (b <= a) return 0;
  const { kronrod, error } = gk15(f, a, b);
  if (error <= tolerance || depth >= 30) return kronrod;
  const mid = (a + b) / 2;
  return integrate(f, a, mid, tolerance / 2, depth + 1) + integrate(f, mid, b, tolerance / 2, depth + 1);
}

function gk15(f: (x: number) => number, a: number, b: number): { kronrod: number; error: number } {
  const center = (a + b) / 2;
  const half = (b - a) / 2;
  const fc = f(center);
  let kronrod = fc * WGK[7]!;
  let gauss = fc * WG[3]!;
  for (let j = 0; j < 7; j++) {
    const dx = half * XGK[j]!;
    const sum = f(center - dx) + f(center + dx);
    kronrod += WGK[j]! * sum;
    if (j % 2 === 1) gauss += WG[(j - 1) / 2]! * sum;
  }
  return { kronrod: kronrod * half, error: Math.abs((kronrod - gauss) * half) };
}
