/**
 * The public benchmark data in data/benchmarks (HumanEval, MBPP), read as typed rows. Tests use them as
 * real code and real tests that nobody on this project wrote. The files are part of the project, so a
 * plain clone has them (see data/benchmarks/README.md for their origin and licences). Each is checked
 * against data/benchmarks/SHA256SUMS when first read: an edited, truncated or line-ending-converted copy
 * fails with its name instead of quietly changing what the tests see.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DATA_DIR = new URL('../../data/benchmarks/', import.meta.url);

export type HumanEvalTask = {
  task_id: string;
  prompt: string;
  canonical_solution: string;
  test: string;
  entry_point: string;
};
export type MbppTask = { task_id: number; text: string; code: string; test_list: string[]; test_setup_code: string };

/** Expected sha256 by file name, from SHA256SUMS as `sha256sum` writes it ("<hex>  <name>"). */
function expectedHashes(dir: URL): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const line of readFileSync(new URL('SHA256SUMS', dir), 'utf8').split('\n')) {
    const [, hash, name] = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim()) ?? [];
    if (hash !== undefined && name !== undefined) hashes.set(name, hash);
  }
  return hashes;
}

/** Verified texts by file URL: each file is hashed once per test file. */
const verified = new Map<string, string>();

/** The text of `file` in `dir`, once its sha256 matches `dir`'s SHA256SUMS. */
export function benchmarkText(file: string, dir: URL = DATA_DIR): string {
  const url = new URL(file, dir);
  const cached = verified.get(url.href);
  if (cached !== undefined) return cached;
  const path = fileURLToPath(url);
  const expected = expectedHashes(dir).get(file);
  if (expected === undefined) throw new Error(`${path} has no line in ${fileURLToPath(dir)}SHA256SUMS`);
  const bytes = readFileSync(url);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected)
    throw new Error(
      `${path}: sha256 is ${actual} but SHA256SUMS says ${expected}. The file is not the published ` +
        'benchmark (edited, truncated, or its line endings converted); restore it with git.',
    );
  const text = bytes.toString('utf8');
  verified.set(url.href, text);
  return text;
}

function jsonl<T>(file: string): T[] {
  return benchmarkText(file)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export const humanEval = (): HumanEvalTask[] => jsonl<HumanEvalTask>('HumanEval.jsonl');
export const mbpp = (): MbppTask[] => jsonl<MbppTask>('mbpp_sanitized.jsonl');

/**
 * MBPP tasks whose tests call math.isclose without importing math: a correct runner reports NameError.
 * Upstream lists `import math` in these tasks' test_imports, which this copy leaves out
 * (data/benchmarks/README.md).
 */
export const MBPP_MATH_WITHOUT_IMPORT = [98, 124, 137, 139, 163, 233, 246, 248, 276, 300];
