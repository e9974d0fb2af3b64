/**
 * The index as the build writes it (build/benchmarkIndexPlugin.ts, from data/benchmarks checked against
 * SHA256SUMS) and as the app decodes it: every table and signature comes back as built, and an index
 * built with other settings (or an older format) is refused rather than matching nothing.
 */
import { describe, expect, it } from 'vitest';
import { encodedBenchmarkIndex } from '../../../build/benchmarkIndexPlugin.ts';
import { benchmarkText } from '../../../test/builders/benchmarks.ts';
import { benchmarkItems, buildBenchmarkIndex } from './benchmarkIndex.ts';
import { decodeBenchmarkIndex } from './indexCodec.ts';

describe('the benchmark index, encoded', () => {
  it('decodes to the index it was built from', () => {
    const built = buildBenchmarkIndex(
      benchmarkItems(benchmarkText('HumanEval.jsonl'), benchmarkText('mbpp_sanitized.jsonl')),
    );
    const encoded = encodedBenchmarkIndex();
    const decoded = decodeBenchmarkIndex(structuredClone(encoded));
    expect(decoded.tasks).toEqual(built.tasks);
    for (const table of ['code', 'renamed', 'text'] as const) {
      expect(decoded[table].hashes, table).toEqual(built[table].hashes);
      expect(decoded[table].offsets, table).toEqual(built[table].offsets);
      expect(decoded[table].tasks, table).toEqual(built[table].tasks);
    }
    expect(decoded.signed).toEqual(built.signed);
    expect(decoded.signatures).toEqual(built.signatures);
    // A chunk of its own the page loads when it first screens: about 0.5 MB.
    expect(JSON.stringify(encoded).length).toBeLessThan(2 ** 20);
  });

  it('refuses an index built with other settings', () => {
    const encoded = encodedBenchmarkIndex();
    expect(() => decodeBenchmarkIndex({ ...encoded, params: { ...encoded.params, CODE_N: 12 } })).toThrow();
    const older = { ...encoded.params, format: encoded.params['format']! - 1 };
    expect(() => decodeBenchmarkIndex({ ...encoded, params: older })).toThrow(/format = 1, this code needs 2/);
  });
});
