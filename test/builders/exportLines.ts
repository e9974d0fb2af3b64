/**
 * Export lines of schema_version 1 made by hand, as core/export writes them (field order included), for
 * tests of the import that need many lines or one field changed. Round trips use lines a real run exported.
 */
import type { JsonlRecord } from '../../src/core/export/jsonlRecord.ts';
import type { LlmJsonlRecord } from '../../src/core/export/llmRecord.ts';

const SHA = 'ab'.repeat(32);

/** A natural sample of function `f<n>` in `pkg/mod<n % 50>.py`. */
export function naturalRecord(n: number): JsonlRecord {
  const path = `pkg/mod${n % 50}.py`;
  const line = 10 + n;
  return {
    id: `${path}::f${n}::${line}`,
    instruction: `Return ${n} more than x.`,
    response: `def f${n}(x):\n    """Return ${n} more than x."""\n    return x + ${n}`,
    tests: [`assert f${n}(1) == ${n + 1}`, `assert f${n}(-${n}) == 0`],
    entry_point: `f${n}`,
    language: 'python',
    method: 'natural-doctest',
    source: { project: 'demo', path, start_line: line, end_line: line + 6, sha256: SHA },
    verification: { examples: 2, plain_asserts: true, runtime: 'CPython 3.14.2 (Pyodide 314.0.7)' },
    schema_version: 1,
  };
}

export function llmRecord(n: number): LlmJsonlRecord {
  const path = `pkg/mod${n % 50}.py`;
  const line = 10 + n;
  const original = `def g${n}(a, b):\n    return a * b + ${n}`;
  return {
    id: `${path}::Box.g${n}::${line}::inverse-semi`,
    instruction: `Write a function that multiplies a and b and adds ${n}.`,
    response: `def g${n}(a, b):\n    return a * b + ${n}\n`,
    tests: [`assert Box.g${n}(2, 3) == ${6 + n}`],
    entry_point: `Box.g${n}`,
    language: 'python',
    method: 'inverse-semi',
    response_kind: 'solution',
    scores: { yes_prob: 0.91, yes_prob_estimated: false, round_trip_pass_rate: 1, line_coverage: 1 },
    model: { engine: 'openai', id: 'qwen2.5-coder-1.5b' },
    fingerprint: '0a1b2c3d4e5f60',
    source: { project: 'demo', path, start_line: line, end_line: line + 2, sha256: SHA, original_code: original },
    verification: { cases: 1, doctests: 0, runtime: 'CPython 3.14.2 (Pyodide 314.0.7)' },
    schema_version: 1,
  };
}

/** A copy with one field (a dotted path, e.g. `source.sha256`) set, or removed when `value` is undefined. */
export function withField(record: object, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(record) as Record<string, unknown>;
  const keys = path.split('.');
  let at = copy;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  if (value === undefined) delete at[keys.at(-1)!];
  else at[keys.at(-1)!] = value;
  return copy;
}

/** A File of these lines (a string is written as is; an object as JSON), newline after each. */
export function jsonlFile(name: string, lines: (string | object | Uint8Array)[]): File {
  const parts = lines.flatMap((line): BlobPart[] => [
    line instanceof Uint8Array ? new Uint8Array(line) : typeof line === 'string' ? line : JSON.stringify(line),
    '\n',
  ]);
  return new File(parts, name);
}
