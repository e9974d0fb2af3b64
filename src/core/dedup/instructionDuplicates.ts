/**
 * Near-duplicate instructions, for the export's screening step: each instruction's lower-cased words, in
 * 5-grams, through the same MinHash and LSH as code (layered.ts; identical word sequences are exact
 * copies). The first item of a cluster, in the order given, is its representative: callers put the sample
 * they would rather keep first. Pure; no storage.
 */
import { DEFAULT_DEDUP_SETTINGS } from '../../domain/dataset.ts';
import { layeredDedup } from './layered.ts';
import { SHINGLE_SIZE, shingles, words } from './shingles.ts';

export type InstructionDedupOptions = {
  /** Jaccard similarity of word n-grams at which two instructions are one (default 0.7). */
  threshold?: number;
  /** MinHash permutations (default 250). */
  numPerm?: number;
  /** Words per shingle (default 5). */
  ngram?: number;
  seed?: number;
};

/** For each item that duplicates an earlier one: the id of its cluster's first item, and their Jaccard. */
export function instructionDuplicates(
  items: readonly { id: string; text: string }[],
  options: InstructionDedupOptions = {},
): Map<string, { of: string; jaccard: number }> {
  const inputs = items.map(({ text }) => {
    const tokens = words(text);
    return {
      hash: tokens.length > 0 ? tokens.join(' ') : null,
      shingles: shingles(tokens, options.ngram ?? SHINGLE_SIZE),
      standalone: true,
      examples: 0,
      hasProse: false,
    };
  });
  const { placements } = layeredDedup(inputs, {
    threshold: options.threshold ?? DEFAULT_DEDUP_SETTINGS.threshold,
    numPerm: options.numPerm ?? DEFAULT_DEDUP_SETTINGS.numPerm,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const duplicates = new Map<string, { of: string; jaccard: number }>();
  placements.forEach((place, i) => {
    if (place?.role === 'duplicate')
      duplicates.set(items[i]!.id, { of: items[place.of]!.id, jaccard: place.similarity });
  });
  return duplicates;
}
