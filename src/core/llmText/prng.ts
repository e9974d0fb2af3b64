/**
 * Seeded randomness for request builders: the same settings seed and input always give the same requests
 * (the stage's fingerprint then names its output exactly). Not for anything security-related.
 */

/** FNV-1a, 32 bits, over the UTF-16 code units of the parts joined by U+0000. */
export function hashString(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  const text = parts.map(String).join('\u0000');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a small, fast generator with a 32-bit state; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomIndex(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** A seed for an engine's `seed` field: a non-negative 31-bit integer (some servers reject larger ones). */
export function requestSeed(random: () => number): number {
  return Math.floor(random() * 0x7fffffff);
}
