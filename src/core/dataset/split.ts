/**
 * The train/validation split, by source file: every sample of a file lands on the same side, so no
 * function's neighbours (its helpers, its class, near-copies in the same module) leak from training into
 * validation. The side is a seeded hash of the path, not a shuffle: the same export twice gives the same
 * split, and a file keeps its side when other files come and go.
 */
import { hash53 } from '../../lib/hash.ts';

export type Split = 'train' | 'validation';

/** At most half for validation: beyond that the "validation" side is the training set. */
export const MAX_VALIDATION = 0.5;

export const DEFAULT_SPLIT_SEED = 'semiverse';

/** A number in [0, 1) from the path and the seed, uniform for practical purposes. */
export function pathFraction(path: string, seed: string): number {
  return parseInt(hash53(`${seed}\u0000${path}`), 16) / 2 ** 53;
}

/** `validation` in [0, MAX_VALIDATION]: the share of files (not samples) that go to validation. */
export function splitOf(path: string, validation: number, seed = DEFAULT_SPLIT_SEED): Split {
  if (!(validation > 0)) return 'train';
  return pathFraction(path, seed) < Math.min(validation, MAX_VALIDATION) ? 'validation' : 'train';
}
