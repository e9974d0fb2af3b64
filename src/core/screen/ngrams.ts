/**
 * N-gram hashes of normalised tokens (normalise.ts): one hash (GRAM_HASH_BITS bits) per window of n consecutive tokens.
 * With `renamed`, a window's hash does not depend on what its variables are called, only on which of its
 * positions name the same variable.
 */
import { finalMix, gramHash, mixInto, stringHashPair } from './hash32.ts';
import type { CodeToken, Word } from './normalise.ts';

/** Token keys seen so far and their hash pairs (keys repeat across samples: keywords, operators, names). */
const keyHashes = new Map<string, [number, number]>();
/** Beyond this many distinct keys the cache starts over (strings in tests are mostly unique). */
const KEY_CACHE_LIMIT = 200_000;

function keyHash(key: string): [number, number] {
  let pair = keyHashes.get(key);
  if (!pair) {
    if (keyHashes.size >= KEY_CACHE_LIMIT) keyHashes.clear();
    pair = stringHashPair(key);
    keyHashes.set(key, pair);
  }
  return pair;
}

/** A renamed name's hash pair, by its distance back to its previous occurrence (windows are at most 64). */
const PLACEHOLDERS: [number, number][] = Array.from({ length: 64 }, (_, k) => stringHashPair(`\u0000name${k}`));

/**
 * The hash of every window of `n` code tokens, by the index of its first token. `renamed`: each name
 * counts as its distance back to the same name's previous occurrence inside the window, 0 for a first
 * occurrence (Baker's parameterised strings: two windows encode alike exactly when one is the other with
 * its names consistently renamed), so a window costs n steps however many names it holds; otherwise names
 * count as written, case-folded.
 */
export function codeGrams(tokens: readonly CodeToken[], n: number, renamed: boolean): number[] {
  const count = tokens.length - n + 1;
  if (count <= 0) return [];
  const pairs = tokens.map((t) => (!t.renamable ? keyHash(t.key) : renamed ? null : keyHash(t.key.toLowerCase())));
  // For each renamed name, where the same name occurred last (-1: never).
  const before = new Int32Array(tokens.length).fill(-1);
  if (renamed) {
    const last = new Map<string, number>();
    tokens.forEach((t, i) => {
      if (pairs[i]) return;
      before[i] = last.get(t.key) ?? -1;
      last.set(t.key, i);
    });
  }
  const hashes = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    let a = 0x3c6ef372 ^ n ^ (renamed ? 0x100 : 0);
    let b = 0xa54ff53a ^ n ^ (renamed ? 0x100 : 0);
    for (let j = i; j < i + n; j++) {
      const pair = pairs[j] ?? PLACEHOLDERS[before[j]! >= i ? j - before[j]! : 0]!;
      a = mixInto(a, pair[0]);
      b = mixInto(b, pair[1]);
    }
    hashes[i] = gramHash(finalMix(a), finalMix(b));
  }
  return hashes;
}

/** The hash of every window of `n` words, by the index of its first word. */
export function wordGrams(words: readonly Word[], n: number): number[] {
  const count = words.length - n + 1;
  if (count <= 0) return [];
  const pairs = words.map((w) => keyHash(w.key));
  const hashes = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    let a = 0x510e527f ^ n;
    let b = 0x9b05688c ^ n;
    for (let j = i; j < i + n; j++) {
      a = mixInto(a, pairs[j]![0]);
      b = mixInto(b, pairs[j]![1]);
    }
    hashes[i] = gramHash(finalMix(a), finalMix(b));
  }
  return hashes;
}
