/**
 * The Python version a sample needs (workers/python/harness/semiverse_version.py), computed in Pyodide's
 * 3.14 and checked against native CPython 3.8–3.13: the computed version's interpreter compiles the code
 * and the one below it does not (code that needs 3.14 compiles in none of them). On one snippet per
 * grammar change, on HumanEval and MBPP (solutions and tests) and on the standard library's files.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderFromZip } from '../../src/adapters/files/zip.ts';
import { toPythonVersion } from '../../src/adapters/python/settle.ts';
import { ingestFolder } from '../../src/core/ingest/walk.ts';
import type { Runner } from '../../workers/python/runner.ts';
import { humanEval, mbpp } from '../builders/benchmarks.ts';
import { NATIVE_MINORS, nativeCompiles, nativePythonFor } from '../builders/nativeCompile.ts';
import { nodeRunner } from '../builders/pyodideRunner.ts';

let runner: Runner;

beforeAll(async () => {
  runner = await nodeRunner();
}, 120_000);

const version = (sources: string[]): string | null => toPythonVersion(runner.pythonVersion({ sources }));

/** One snippet per construct, with the oldest native CPython that compiles it (measured). */
const SNIPPETS: [name: string, source: string, expected: string][] = [
  ['plain code', 'def f(x):\n    return [i * 2 for i in range(x)]\n', '3.8'],
  ['walrus', 'if (n := 10) > 5:\n    pass\n', '3.8'],
  ['positional-only parameters', 'def f(a, /, b):\n    pass\n', '3.8'],
  ['f-string =', "x = 1\nprint(f'{x=}')\n", '3.8'],
  ['unparenthesised return of starred', 'def f(a, b):\n    return *a, *b\n', '3.8'],
  ['continue in finally', 'for x in y:\n    try:\n        pass\n    finally:\n        continue\n', '3.8'],
  ['parenthesised tuple context manager', "with (open('a'), open('b')):\n    pass\n", '3.8'],
  ['nested f-strings with other quotes', 'x = 1\nf\'{f"{x}"}\'\n', '3.8'],
  ['f-string with a backslash outside its fields', "x = 1\nf'\\n{x}'\n", '3.8'],
  ['f-string with a nested format spec', "x, w = 1, 5\nf'{x:>{w}}'\n", '3.8'],
  ['relaxed decorator (PEP 614)', '@buttons[0].clicked.connect\ndef f():\n    pass\n', '3.9'],
  ['decorator in parentheses', '@(lambda f: f)\ndef f():\n    pass\n', '3.9'],
  ['parenthesised context managers', "with (open('a') as f, open('b') as g):\n    pass\n", '3.9'],
  ['async parenthesised context managers', 'async def f():\n    async with (a as b, c as d):\n        pass\n', '3.9'],
  ['starred tuple after for ... in', 'for x in *a, *b:\n    pass\n', '3.9'],
  ['walrus in a set', '{y := 1, 2}\n', '3.9'],
  ['walrus in a set comprehension', '{y := f(x) for x in z}\n', '3.9'],
  ['match', 'match x:\n    case [a, *rest]:\n        pass\n    case {"k": v}:\n        pass\n', '3.10'],
  ['walrus as a subscript', 'a[b := 1]\n', '3.10'],
  ['walrus in a subscript tuple', 'a[b := 1, 2]\n', '3.10'],
  ['except*', 'try:\n    pass\nexcept* ValueError:\n    pass\n', '3.11'],
  ['star expression in a subscript', 'a[*b]\n', '3.11'],
  ['star expression in a subscript tuple', 'a[1:2, *b]\n', '3.11'],
  ['*args: *Ts', 'def f(*args: *Ts):\n    pass\n', '3.11'],
  ['async comprehension in a comprehension', 'async def f():\n    return [[x async for x in y] for z in w]\n', '3.11'],
  ['await in a nested comprehension', 'async def f():\n    return [[await x for x in y] for z in w]\n', '3.11'],
  ['type alias', 'type Pair = tuple[int, int]\n', '3.12'],
  ['generic class', 'class C[T]:\n    pass\n', '3.12'],
  ['generic function', 'def first[T](xs: list[T]) -> T:\n    return xs[0]\n', '3.12'],
  ['f-string reusing its quotes', "d = {'a': 1}\nf'{d['a']}'\n", '3.12'],
  ['f-string with a backslash in a field', "xs = ['a']\nf\"{'\\n'.join(xs)}\"\n", '3.12'],
  ['f-string with a comment', "f'''{1  # one\n}'''\n", '3.12'],
  ['f-string with a line break in a field', "f'{1 +\n 2}'\n", '3.12'],
  ['f-string nested three deep', "x = y = z = 1\nf'{x:{y:{z}}}'\n", '3.12'],
  ['type parameter default', 'class C[T = int]:\n    pass\n', '3.13'],
  ['except without parentheses (PEP 758)', 'try:\n    pass\nexcept ValueError, TypeError:\n    pass\n', '3.14'],
  ['template string', "name = 'x'\nt'{name}'\n", '3.14'],
];

/** Disagreements with native CPython: a version's interpreter refusing, or the one below accepting. */
function disagreements(items: { name: string; source: string; version: string | null }[]): string[] {
  const problems: string[] = [];
  const byMinor = new Map<number, { name: string; source: string; accept: boolean }[]>();
  for (const item of items) {
    if (item.version === null) continue;
    const minor = Number(item.version.split('.')[1]);
    const checks: [number, boolean][] = minor <= 13 ? [[minor, true]] : [[13, false]];
    if (minor > 8 && minor <= 13) checks.push([minor - 1, false]);
    if (minor === 14) checks.push(...NATIVE_MINORS.filter((m) => m < 13).map((m): [number, boolean] => [m, false]));
    for (const [m, accept] of checks) {
      const list = byMinor.get(m) ?? [];
      list.push({ name: item.name, source: item.source, accept });
      byMinor.set(m, list);
    }
  }
  for (const [minor, list] of byMinor) {
    const python = nativePythonFor(minor);
    if (!python) {
      problems.push(`no native CPython 3.${minor} here`);
      continue;
    }
    const compiled = nativeCompiles(
      python,
      list.map((l) => l.source),
    );
    list.forEach((l, i) => {
      if (compiled[i] !== l.accept)
        problems.push(`${l.name}: CPython 3.${minor} ${compiled[i] ? 'accepts' : 'rejects'} it`);
    });
  }
  return problems;
}

describe('the Python version a sample needs', () => {
  it('is the oldest release whose grammar accepts each construct', () => {
    const computed = SNIPPETS.map(([name, source]) => ({ name, source, version: version([source]) }));
    expect(computed.map((c) => [c.name, c.version])).toEqual(SNIPPETS.map(([name, , v]) => [name, v]));
    expect(disagreements(computed)).toEqual([]);
  });

  it('of several sources is the newest any of them needs; null when one does not compile', () => {
    expect(version(['x = 1\n', 'class C[T]:\n    pass\n', 'match x:\n    case 1:\n        pass\n'])).toBe('3.12');
    expect(version(['x = 1\n', 'def f(:\n'])).toBeNull();
    expect(version(['nonlocal x\n'])).toBeNull(); // parses, but does not compile
    expect(version([`x = ${'('.repeat(150)}1${')'.repeat(150)}\n`])).toBeNull();
    expect(version([])).toBe('3.8');
  });

  it('agrees with native CPython on HumanEval and MBPP, solutions and tests', () => {
    const items = [
      ...humanEval().flatMap((t) => [
        { name: `${t.task_id} solution`, source: t.prompt + t.canonical_solution },
        { name: `${t.task_id} test`, source: t.test },
      ]),
      ...mbpp().flatMap((t) => [
        { name: `MBPP/${t.task_id} solution`, source: t.code },
        { name: `MBPP/${t.task_id} tests`, source: t.test_list.join('\n') },
      ]),
    ].map((item) => ({ ...item, version: version([item.source]) }));
    const counts = countBy(items.map((i) => i.version ?? 'none'));
    console.log(`HumanEval and MBPP sources by version: ${JSON.stringify(counts)}`);
    expect(disagreements(items)).toEqual([]);
  }, 300_000);

  it('agrees with native CPython on the standard library', async () => {
    const zip = createRequire(import.meta.url).resolve('pyodide/python_stdlib.zip');
    const source = await folderFromZip(new Blob([readFileSync(zip)]), 'python_stdlib');
    const items: { name: string; source: string; version: string | null }[] = [];
    for await (const event of ingestFolder(source))
      if (event.type === 'file') items.push({ name: event.file.path, source: event.file.text, version: null });
    for (const item of items) item.version = version([item.source]);
    const counts = countBy(items.map((i) => i.version ?? 'none'));
    const problems = disagreements(items);
    console.log(
      `standard library files by version: ${JSON.stringify(counts)}; disagreements with native CPython: ` +
        `${problems.length} of ${items.length}\n${problems.join('\n')}`,
    );
    expect(problems).toEqual([]);
  }, 600_000);
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
