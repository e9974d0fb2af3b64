/**
 * Vite plugin: `import index from 'virtual:benchmark-index'` gives the decontamination index of HumanEval
 * and MBPP (src/core/screen/benchmarkIndex.ts), built here once per build from data/benchmarks, so the
 * app never tokenizes the benchmarks itself. The files are checked against data/benchmarks/SHA256SUMS
 * first: an index of an edited copy would screen against the wrong data without a word. The module is
 * imported dynamically (src/core/screen/loadBenchmarkIndex.ts), so its ~0.5 MB stay out of the main chunk.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { benchmarkItems, buildBenchmarkIndex } from '../src/core/screen/benchmarkIndex.ts';
import { encodeBenchmarkIndex, type EncodedBenchmarkIndex } from '../src/core/screen/indexCodec.ts';

const ID = 'virtual:benchmark-index';
const RESOLVED = '\0' + ID;
const DATA = new URL('../data/benchmarks/', import.meta.url);
const FILES = ['HumanEval.jsonl', 'mbpp_sanitized.jsonl'] as const;

export function benchmarkIndexPlugin(): Plugin {
  let cached: string | null = null;
  return {
    name: 'semiverse:benchmark-index',
    resolveId: (id) => (id === ID ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      for (const file of FILES) this.addWatchFile(fileURLToPath(new URL(file, DATA)));
      cached ??= `export default ${JSON.stringify(encodedBenchmarkIndex())};`;
      return cached;
    },
    watchChange(id) {
      if (id.includes('/data/benchmarks/')) cached = null;
    },
  };
}

/** The index as the virtual module exports it, from the files in data/benchmarks. */
export function encodedBenchmarkIndex(dir: URL = DATA): EncodedBenchmarkIndex {
  const [humanEval, mbpp] = FILES.map((file) => verifiedText(dir, file));
  return encodeBenchmarkIndex(buildBenchmarkIndex(benchmarkItems(humanEval!, mbpp!)));
}

function verifiedText(dir: URL, file: string): string {
  const sums = readFileSync(new URL('SHA256SUMS', dir), 'utf8');
  const expected = new RegExp(`^([0-9a-f]{64}) [ *]${file.replace(/\./g, '\\.')}$`, 'm').exec(sums)?.[1];
  const bytes = readFileSync(new URL(file, dir));
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected)
    throw new Error(`data/benchmarks/${file} does not match SHA256SUMS (${actual}): restore it with git`);
  return bytes.toString('utf8');
}
