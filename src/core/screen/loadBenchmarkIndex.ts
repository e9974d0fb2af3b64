/**
 * The benchmark index the app screens with: built at build time (build/benchmarkIndexPlugin.ts) into its
 * own chunk, loaded and decoded the first time a screen asks for it, then kept.
 */
import type { BenchmarkIndex } from './benchmarkIndex.ts';
import { decodeBenchmarkIndex } from './indexCodec.ts';

let loading: Promise<BenchmarkIndex> | null = null;

export function loadBenchmarkIndex(): Promise<BenchmarkIndex> {
  loading ??= import('virtual:benchmark-index').then(({ default: encoded }) => decodeBenchmarkIndex(encoded));
  // A failed load (a chunk that did not arrive) is not remembered: the next screen tries again.
  loading.catch(() => (loading = null));
  return loading;
}
