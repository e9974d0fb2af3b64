/**
 * runCases and mutateCases on the real harness, in Node through the pyodide package (with a wall-clock
 * limit, so runaway code ends as the pool's timeout). Every test the harness writes here is also run with
 * native CPython after the program it came from, and after a wrong program.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCasesResult, toMutateResult } from '../../src/adapters/python/settle.ts';
import { sameValue } from '../../src/core/verify/compareCanon.ts';
import type { CaseArgs, CaseOutcome, CasesJob, CasesResult, MutateJob } from '../../src/domain/cases.ts';
import type { Canon } from '../../src/domain/run.ts';
import { deadlineRunner, type DeadlineRunner } from '../../test/builders/deadlineRunner.ts';
import { runNatively } from '../../test/builders/nativeTests.ts';
import { nodeRunner } from '../../test/builders/pyodideRunner.ts';
import { InProcessPython } from '../../test/fakes/inProcessPython.ts';
import type { Runner } from './runner.ts';

let python: DeadlineRunner;
/** Another interpreter, with another hash seed. */
let other: Runner;
beforeAll(async () => {
  [python, other] = await Promise.all([deadlineRunner(), nodeRunner(1)]);
});
afterAll(async () => {
  await python.dispose();
});

type Job = Omit<CasesJob, 'coverage' | 'tests'> & Partial<Pick<CasesJob, 'coverage' | 'tests'>>;
type Ran = Extract<CasesResult, { kind: 'ran' }>;
type Ok = Extract<CaseOutcome, { kind: 'ok' }>;
type Raised = Extract<CaseOutcome, { kind: 'exception' }>;

function runCases(job: Job, limitMs = 20_000, runner?: Runner): CasesResult {
  const full: CasesJob = { coverage: false, tests: true, ...job };
  const settled = runner ? runner.runCases(full) : python.within(limitMs, (r) => r.runCases(full));
  return toCasesResult(settled, limitMs, full.cases.length);
}

function ran(job: Job): Ran {
  const result = runCases(job);
  if (result.kind !== 'ran') throw new Error(`expected the batch to run: ${JSON.stringify(result)}`);
  return result;
}

function only(job: Job): CaseOutcome {
  const [outcome] = ran(job).cases;
  return outcome!;
}

function ok(outcome: CaseOutcome | undefined): Ok {
  if (outcome?.kind !== 'ok') throw new Error(`expected ok: ${JSON.stringify(outcome)}`);
  return outcome;
}

function raised(outcome: CaseOutcome | undefined): Raised {
  if (outcome?.kind !== 'exception') throw new Error(`expected an exception: ${JSON.stringify(outcome)}`);
  return outcome;
}

const call = (...args: string[]): CaseArgs => ({ args });
const int = (n: number) => ({ t: 'int', v: String(n) });

/** The batch's tests pass natively after `program`, and (when given) at least one fails after `wrong`. */
function expectNative(program: string, result: Ran, wrong?: string): void {
  const tests = result.cases.flatMap((c) => ((c.kind === 'ok' || c.kind === 'exception') && c.test ? [c.test] : []));
  const suites = [{ program, helper: result.helper, tests }];
  if (wrong !== undefined) suites.push({ program: wrong, helper: result.helper, tests });
  const [right, afterWrong] = runNatively(suites);
  expect(right).toEqual({ program: null, helper: null, tests: tests.map(() => null), oneFile: true });
  if (afterWrong)
    expect(
      afterWrong.tests.some((t) => t !== null),
      `a test should fail after:\n${wrong}`,
    ).toBe(true);
}

describe('runCases: arguments', () => {
  const echo = 'def echo(*args, **kwargs):\n    return args, kwargs\n';

  it('reads each argument as a literal: tuples, sets, bytes, None, negative numbers and nesting survive', () => {
    const outcome = ok(
      only({
        program: echo,
        entryPoint: 'echo',
        cases: [call('(1, 2)', '{3}', "b'x'", 'None', '-3', "[{'a': (1,)}]", '-2.5')],
      }),
    );
    const [args] = outcome.value['v'] as Canon[];
    expect((args!['v'] as Canon[]).map((v) => v.t)).toEqual(['tuple', 'set', 'bytes', 'none', 'int', 'list', 'float']);
    expect((args!['v'] as Canon[])[4]).toEqual(int(-3));
  });

  it('reports what is not a literal, without running it', () => {
    const cases = [call('foo'), call('[1,'), call("__import__('os').system('true')"), call('1 if True else 2')];
    const outcomes = ran({ program: echo, entryPoint: 'echo', cases }).cases;
    expect(outcomes.map((o) => o.kind === 'invalid' && o.reason)).toEqual(['literal', 'literal', 'literal', 'literal']);
    expect(outcomes[0]).toMatchObject({ detail: expect.not.stringMatching(/0x[0-9a-f]/) });
  });

  it('checks arity and keyword names against the signature', () => {
    const program = 'def f(a, b=1, *, key=None):\n    return a\n';
    const cases: CaseArgs[] = [
      call(),
      call('1', '2', '3'),
      { args: ['1'], kwargs: { nope: '1' } },
      { args: ['1'], kwargs: { key: '2' } },
    ];
    const outcomes = ran({ program, entryPoint: 'f', cases }).cases;
    expect(outcomes.map((o) => (o.kind === 'invalid' ? o.reason : o.kind))).toEqual(['arity', 'arity', 'arity', 'ok']);
  });

  it('checks simple annotations: int is not bool, float takes int, generics, Optional and X | None', () => {
    const program = [
      'from typing import List, Optional',
      'def f(a: int, b: float = 0.0, c: Optional[int] = None, d: list[int] | None = None, e: "List[str]" = (),',
      '      g: tuple[int, ...] = (), h: dict[str, list[int]] = {}, i: "Widget" = None) -> int:',
      '    return 1',
    ].join('\n');
    const kw = (kwargs: Record<string, string>): CaseArgs => ({ args: ['1'], kwargs });
    const fine = [call('1', '2'), kw({ c: 'None' }), kw({ d: '[1, 2]' }), kw({ e: "['x']" }), kw({ g: '(1, 2, 3)' })];
    const fineToo = [kw({ h: "{'k': [1]}" }), kw({ i: "'anything: not a simple annotation'" }), kw({ d: 'None' })];
    const wrong = [call('True'), call("'1'"), call('1', "'x'"), kw({ d: "[1, 'a']" }), kw({ e: '[1]' })];
    const wrongToo = [kw({ g: "(1, 'a')" }), kw({ h: '{1: [1]}' }), kw({ c: '1.5' }), call('1.0')];
    const outcomes = ran({ program, entryPoint: 'f', cases: [...fine, ...fineToo, ...wrong, ...wrongToo] }).cases;
    const kinds = outcomes.map((o) => (o.kind === 'invalid' ? o.reason : o.kind));
    expect(kinds).toEqual([...Array(8).fill('ok'), ...Array(9).fill('type')]);
    expect(outcomes[8]).toEqual({ kind: 'invalid', reason: 'type', detail: 'a: True is not int' });
  });

  it('gives each call its own copy of the arguments', () => {
    const program = 'def add(xs, x):\n    xs.append(x)\n    return len(xs)\n';
    const outcomes = ran({ program, entryPoint: 'add', cases: [call('[]', '1'), call('[]', '2')] }).cases;
    expect(outcomes.map((o) => ok(o).value)).toEqual([int(1), int(1)]);
  });
});

describe('runCases: outcomes and their tests', () => {
  it('writes a plain assert for a plain value', () => {
    const program = 'def total(a, xs):\n    return a + sum(xs)\n';
    const result = ran({ program, entryPoint: 'total', cases: [call('1', '[2, 3]'), call('-1', '(4,)')] });
    expect(result.cases.map((c) => ok(c).test)).toEqual([
      'assert total(1, [2, 3]) == 6',
      'assert total(-1, (4,)) == 3',
    ]);
    expect(result.helper).toBeNull();
    expectNative(program, result, 'def total(a, xs):\n    return a * sum(xs)\n');
  });

  it('reports an argument the call changed and checks it after the call (a sort in place)', () => {
    const program = 'def sort_in_place(xs):\n    xs.sort()\n';
    const result = ran({ program, entryPoint: 'sort_in_place', cases: [call('[3, 1, 2]'), call('[1]')] });
    const [changed, same] = result.cases.map(ok);
    expect(changed!.argsAfter).toEqual([{ t: 'list', v: [int(1), int(2), int(3)] }]);
    expect(same!.argsAfter).toEqual([null]);
    expect(changed!.test).toBe(
      '_sv_a0 = [3, 1, 2]\n_sv_result = sort_in_place(_sv_a0)\nassert _sv_result is None\nassert _sv_a0 == [1, 2, 3]',
    );
    expectNative(program, result, 'def sort_in_place(xs):\n    xs.reverse()\n');
  });

  it('captures printed output and checks it exactly', () => {
    const program = 'def greet(name):\n    print("hello,", name)\n    return len(name)\n';
    const result = ran({ program, entryPoint: 'greet', cases: [call("'bob'")] });
    const outcome = ok(result.cases[0]);
    expect(outcome.stdout).toEqual({ text: 'hello, bob\n', truncated: false });
    expect(outcome.test).toContain('_sv_contextlib.redirect_stdout(_sv_out)');
    expectNative(program, result, 'def greet(name):\n    print("hi,", name)\n    return len(name)\n');
  });

  it("turns exceptions into expected-exception tests: built-in, the program's own, a module's", () => {
    const program = [
      'import json',
      'class Oops(Exception):',
      '    pass',
      'def parse(text, mode=0):',
      '    if mode == 1:',
      '        raise Oops(text)',
      '    if mode == 2:',
      '        raise ValueError(text)',
      '    return json.loads(text)',
    ].join('\n');
    const result = ran({
      program,
      entryPoint: 'parse',
      cases: [call("'x'", '1'), call("'x'", '2'), call("'{'"), call("'[1]'")],
    });
    const [own, builtin, module] = result.cases.slice(0, 3).map(raised);
    expect(ok(result.cases[3]).test).toBe("assert parse('[1]') == [1]");
    expect([own!.type, builtin!.type, module!.type]).toEqual(['Oops', 'ValueError', 'json.decoder.JSONDecodeError']);
    expect(builtin!.test).toBe(
      "try:\n    parse('x', 2)\nexcept ValueError:\n    pass\nelse:\n    raise AssertionError('expected ValueError')",
    );
    expect(own!.test).toContain('except Oops:');
    expect(module!.test).toContain('except json.JSONDecodeError:');
    expectNative(program, result, program.replace('raise ValueError(text)', 'return None'));
  });

  it('gives no test for an exception class a test cannot name', () => {
    const program = 'def f():\n    class Local(Exception):\n        pass\n    raise Local("x")\n';
    const outcome = raised(only({ program, entryPoint: 'f', cases: [call()] }));
    expect(outcome).toMatchObject({
      type: 'f.<locals>.Local',
      test: null,
      testless: expect.stringContaining('no name'),
    });
  });

  it('compares floats with a tolerance through the helper, NaN, infinities and -0.0 included', () => {
    const program = [
      'def add(a, b):',
      '    return a + b',
      'def odd():',
      "    return [float('nan'), float('inf'), -float('inf'), -0.0, {'k': 0.5}, {2.5}, complex(1, -0.0)]",
    ].join('\n');
    const sum = ran({ program, entryPoint: 'add', cases: [call('0.1', '0.2'), call('1', '2')] });
    expect(sum.cases.map((c) => ok(c).test)).toEqual([
      'assert _sv_close(add(0.1, 0.2), 0.30000000000000004)',
      'assert add(1, 2) == 3',
    ]);
    expect(sum.cases.map((c) => ok(c).usesHelper)).toEqual([true, false]);
    expect(sum.helper).toMatch(/^def _sv_close\(got, want\):/);
    expectNative(program, sum, program.replace('return a + b', 'return a + b + 1e-3'));
    const odd = ran({ program, entryPoint: 'odd', cases: [call()] });
    expect(ok(odd.cases[0]).test).toBe(
      "assert _sv_close(odd(), [float('nan'), float('inf'), float('-inf'), -0.0, {'k': 0.5}, {2.5}, complex(1.0, -0.0)])",
    );
    expectNative(program, odd, program.replace("float('inf'), -float", "float('inf'), float"));
    // Within the tolerance passes natively: 0.3 for 0.1 + 0.2.
    const [close] = runNatively([
      { program: 'def add(a, b):\n    return 0.3\n', helper: sum.helper, tests: [ok(sum.cases[0]).test!] },
    ]);
    expect(close!.tests).toEqual([null]);
  });

  it('writes sets, frozensets, tuples, bytes, ranges and nesting so that they read back as the same types', () => {
    const program =
      "def shapes():\n    return ({3, 1, 2}, frozenset({'b', 'a'}), (1,), b'\\x00x', bytearray(b'y'), range(3), [{'k': (1, [2])}], {}, set(), ())\n";
    const result = ran({ program, entryPoint: 'shapes', cases: [call()] });
    expect(ok(result.cases[0]).test).toBe(
      "assert shapes() == ({1, 2, 3}, frozenset({'a', 'b'}), (1,), b'\\x00x', bytearray(b'y'), range(0, 3), [{'k': (1, [2])}], {}, set(), ())",
    );
    expectNative(program, result, program.replace('(1,), ', '[1], '));
  });

  it('gives no test for values without a faithful source: objects, generators, namedtuples, cycles', () => {
    const program = [
      'from collections import namedtuple',
      'Point = namedtuple("Point", "x y")',
      'class Box:',
      '    pass',
      'def make(kind):',
      '    if kind == 0:',
      '        return Box()',
      '    if kind == 1:',
      '        return (i for i in range(3))',
      '    if kind == 2:',
      '        return Point(1, 2)',
      '    loop = [1]',
      '    loop.append(loop)',
      '    return loop',
    ].join('\n');
    const outcomes = ran({ program, entryPoint: 'make', cases: [call('0'), call('1'), call('2'), call('3')] }).cases;
    expect(outcomes.map((o) => ok(o).test)).toEqual([null, null, null, null]);
    expect(outcomes.map((o) => ok(o).testless)).toEqual([
      'a value of type Box has no faithful Python source',
      'a value of type generator has no faithful Python source',
      'a value of type Point has no faithful Python source',
      'it contains itself',
    ]);
  });

  it('runs a coroutine to its end (its sleeps take no time) and tests it with asyncio.run', () => {
    const program = 'import asyncio\nasync def twice(x):\n    await asyncio.sleep(0.01)\n    return x * 2\n';
    const result = ran({ program, entryPoint: 'twice', cases: [call('21')] });
    expect(ok(result.cases[0])).toMatchObject({
      value: int(42),
      test: 'import asyncio as _sv_asyncio\nassert _sv_asyncio.run(twice(21)) == 42',
    });
    expectNative(program, result, program.replace('x * 2', 'x * 3'));
  });

  it('calls static and class methods through their class; an instance method is refused', () => {
    const program = [
      'class Calc:',
      '    base = 10',
      '    @staticmethod',
      '    def double(x):',
      '        return 2 * x',
      '    @classmethod',
      '    def shifted(cls, x):',
      '        return cls.base + x',
      '    def plain(self, x):',
      '        return x',
    ].join('\n');
    const stat = ran({ program, entryPoint: 'Calc.double', cases: [call('4')] });
    const cls = ran({ program, entryPoint: 'Calc.shifted', cases: [call('4')] });
    expect([ok(stat.cases[0]).test, ok(cls.cases[0]).test]).toEqual([
      'assert Calc.double(4) == 8',
      'assert Calc.shifted(4) == 14',
    ]);
    expectNative(program, stat, program.replace('2 * x', 'x + x + 1'));
    expect(runCases({ program, entryPoint: 'Calc.plain', cases: [call('1')] })).toMatchObject({
      kind: 'failed',
      phase: 'entry',
      exception: { type: 'TypeError' },
    });
  });

  it('reports a program that fails, or has no such entry point, for the whole batch', () => {
    expect(runCases({ program: 'x = 1 / 0', entryPoint: 'f', cases: [call('1')] })).toMatchObject({
      kind: 'failed',
      phase: 'program',
      exception: { type: 'ZeroDivisionError', traceback: expect.stringContaining('<program>') },
    });
    expect(runCases({ program: 'f = 3', entryPoint: 'g', cases: [] })).toMatchObject({
      kind: 'failed',
      phase: 'entry',
      exception: { type: 'NameError' },
    });
    expect(runCases({ program: 'f = 3', entryPoint: 'f', cases: [] })).toMatchObject({
      kind: 'failed',
      phase: 'entry',
      exception: { type: 'TypeError' },
    });
  });

  it('reports running out of memory for the case, and goes on with the next', () => {
    // 2**30 slots of 4 bytes is past what 32-bit WebAssembly can address: MemoryError at once.
    const program = 'def grow(n):\n    return len([0] * n)\n';
    const outcomes = ran({ program, entryPoint: 'grow', cases: [call(String(2 ** 30)), call('3')] }).cases;
    expect(outcomes.map((o) => o.kind)).toEqual(['memory', 'ok']);
  });

  it('ends a batch with a runaway case as a timeout, and the interpreter serves the next batch', () => {
    const program = 'def spin(n):\n    while n:\n        pass\n    return n\n';
    expect(runCases({ program, entryPoint: 'spin', cases: [call('0'), call('1')] }, 300)).toEqual({
      kind: 'timeout',
      limitMs: 300,
    });
    expect(ok(only({ program, entryPoint: 'spin', cases: [call('0')] })).value).toEqual(int(0));
  });

  it('survives a callable whose attributes raise and a signature that is not one', () => {
    const program = [
      'class Weird:',
      '    def __call__(self, x):',
      '        return x',
      '    def __getattr__(self, name):',
      '        raise RuntimeError(name)',
      'weird = Weird()',
      'def plain(x):',
      '    return x',
      'plain.__signature__ = 5',
    ].join('\n');
    const first = ran({ program, entryPoint: 'weird', cases: [call('1')], coverage: true });
    expect(first.executable).toBeNull();
    expect(ok(first.cases[0]).value).toEqual(int(1));
    expect(ok(only({ program, entryPoint: 'plain', cases: [call('2')] })).value).toEqual(int(2));
  });

  it('does not let one batch leave a sys.monitoring tool behind for the next', () => {
    const program =
      'import sys\nsys.monitoring.use_tool_id(1, "mine")\nsys.monitoring.use_tool_id(3, "mine too")\ndef f():\n    return 1\n';
    expect(ran({ program, entryPoint: 'f', cases: [call()], coverage: true }).executable).toEqual([5]);
    expect(
      ran({
        program: 'import sys\ndef f():\n    return sys.monitoring.get_tool(1)\n',
        entryPoint: 'f',
        cases: [call()],
      }).cases[0],
    ).toMatchObject({
      kind: 'ok',
      value: { t: 'none' },
    });
  });
});

describe('runCases: coverage', () => {
  const program = [
    'def sign(x):',
    '    """Which side of zero.',
    '',
    '    More words."""',
    '    if x >= 0:',
    '        label = "plus"',
    '        return label',
    '    else:',
    '        pick = lambda: "minus"',
    '        return pick()',
  ].join('\n');

  it('gives the lines each case ran, different per branch, and executable lines without def and docstring', () => {
    const result = ran({ program, entryPoint: 'sign', cases: [call('1'), call('-1'), call('2')], coverage: true });
    expect(result.executable).toEqual([5, 6, 7, 9, 10]);
    expect(result.cases.map((c) => ok(c).lines)).toEqual([
      [5, 6, 7],
      [5, 9, 10],
      [5, 6, 7],
    ]);
  });

  it('measures nothing when not asked', () => {
    const result = ran({ program, entryPoint: 'sign', cases: [call('1')] });
    expect(result.executable).toBeNull();
    expect(ok(result.cases[0]).lines).toBeNull();
  });
});

describe('runCases: determinism across seeds and hash seeds', () => {
  const program = [
    'import random',
    'def square(x):',
    '    return x * x',
    'def noisy(x):',
    '    return x + random.random()',
    'def show(words):',
    '    print(set(words))',
    '    return len(words)',
  ].join('\n');
  const words = "['apple', 'banana', 'cherry', 'damson', 'elder', 'fig', 'grape', 'hazel']";

  function twice(entryPoint: string, args: string[]): [Ok, Ok] {
    const job = { program, entryPoint, cases: [call(...args)] };
    const first = runCases({ ...job, seed: 0 });
    const second = runCases({ ...job, seed: 1 }, 20_000, other);
    if (first.kind !== 'ran' || second.kind !== 'ran') throw new Error('both batches should run');
    return [ok(first.cases[0]), ok(second.cases[0])];
  }

  it('gives equal values for a deterministic function', () => {
    const [a, b] = twice('square', ['7']);
    expect(sameValue(a.value, b.value)).toBe(true);
  });

  it('gives different values for random numbers, and different output for set order', () => {
    const [a, b] = twice('noisy', ['1']);
    expect(sameValue(a.value, b.value)).toBe(false);
    const [c, d] = twice('show', [words]);
    expect(sameValue(c.value, d.value)).toBe(true);
    expect(c.stdout.text).not.toBe(d.stdout.text);
  });

  it('seeds random before each case, so a case does not depend on the ones before it', () => {
    const outcomes = ran({ program, entryPoint: 'noisy', cases: [call('0'), call('0')] }).cases.map(ok);
    expect(outcomes[0]!.value).toEqual(outcomes[1]!.value);
  });
});

describe('the PythonPort in process', () => {
  it('serves runCases and mutateCases as the pool maps them', async () => {
    const port = new InProcessPython(python.runner);
    const program = 'def inc(x: int):\n    return x + 1\n';
    const result = await port.runCases(
      { program, entryPoint: 'inc', cases: [call('1'), call("'a'")], coverage: true, tests: true },
      1000,
    );
    expect(result).toMatchObject({
      kind: 'ran',
      executable: [2],
      cases: [
        { kind: 'ok', test: 'assert inc(1) == 2', lines: [2] },
        { kind: 'invalid', reason: 'type' },
      ],
    });
    const made = await port.mutateCases({ cases: [call('1')], count: 3, seed: 0 });
    expect(made.kind === 'mutated' && made.cases).toHaveLength(3);
  });
});

describe('mutateCases', () => {
  function mutate(job: MutateJob, runner?: Runner) {
    const result = toMutateResult((runner ?? python.runner).mutateCases(job), 60_000);
    if (result.kind !== 'mutated') throw new Error(`expected new cases: ${JSON.stringify(result)}`);
    return result.cases;
  }

  const seeds: CaseArgs[] = [
    {
      args: ['[1, 2, 3]', "'hello world'", "{'a': 1, 'b': [2]}", '(1, 2)', 'True', 'None', '1.5', '{4, 5}', "b'ab'"],
      kwargs: { k: '3' },
    },
    { args: ['[]', "''", '{}', '(0, 0)', 'False', 'None', '-0.5', 'set()', "b''"], kwargs: { k: '0' } },
  ];
  const program =
    'def f(xs, s, d, pair, flag, nothing, x, members, raw, k=0):\n    return s.replace("hello", "bye") if k > 42 else 0.25\n';

  it("keeps every argument's type (and its elements'), makes only new sets, and each reads back as a literal", () => {
    const made = mutate({ cases: seeds, program, entryPoint: 'f', count: 200, seed: 7 });
    expect(made.length).toBe(200);
    const check = runNatively([
      { program: SHAPES, tests: [`check(${JSON.stringify(JSON.stringify({ seeds, made }))})`] },
    ]);
    expect(check[0]!.tests).toEqual([null]);
    expect(check[0]!.program).toBeNull();
  });

  it('reuses constants of the entry function and of the inputs', () => {
    const made = mutate({ cases: seeds, program, entryPoint: 'f', count: 300, seed: 1 });
    expect(made.some((c) => c.kwargs?.['k'] === '42')).toBe(true);
    expect(made.some((c) => c.args[1]!.includes("'bye'") || c.args[1] === "'world'")).toBe(true);
  });

  it('is deterministic for a seed, also under another hash seed, and differs between seeds', () => {
    const job = { cases: seeds, count: 50, seed: 3 };
    expect(mutate(job)).toEqual(mutate(job, other));
    expect(mutate(job)).not.toEqual(mutate({ ...job, seed: 4 }));
  });

  it('stays within bounds: 200 characters, 50 elements, ±10**6, unless an input was larger', () => {
    const edge: CaseArgs[] = [{ args: [`'${'x'.repeat(198)}'`, `[${Array(49).fill('1').join(', ')}]`, '999999', '0'] }];
    const big: CaseArgs[] = [{ args: ["''", '[]', String(10 ** 9), '0'] }];
    const made = [...mutate({ cases: edge, count: 300, seed: 2 }), ...mutate({ cases: big, count: 50, seed: 2 })];
    const check = runNatively([{ program: BOUNDS, tests: [`check(${JSON.stringify(JSON.stringify(made))})`] }]);
    expect(check[0]!.tests).toEqual([null]);
  });

  it('makes nothing from nothing, and nothing new from a case of None only', () => {
    expect(mutate({ cases: [], count: 10, seed: 0 })).toEqual([]);
    expect(mutate({ cases: [call('None')], count: 10, seed: 0 })).toEqual([]);
    expect(mutate({ cases: [call('foo')], count: 10, seed: 0 })).toEqual([]);
  });
});

/**
 * Native checks of mutated cases: every literal reads back; per position, the types found at each depth
 * (dict keys and values apart) are among the inputs' there; no case repeats another or an input.
 */
const SHAPES = `
import ast, json

def kinds(value, path="", found=None):
    found = set() if found is None else found
    found.add((path, type(value).__name__))
    if type(value) in (list, tuple, set):
        for item in value:
            kinds(item, path + "/", found)
    elif type(value) is dict:
        for key, item in value.items():
            kinds(key, path + "/key", found)
            kinds(item, path + "/value", found)
    return found

def norm(value):
    kind = type(value)
    if kind in (set, frozenset):
        return (kind.__name__, sorted(repr(norm(v)) for v in value))
    if kind in (list, tuple):
        return (kind.__name__, [norm(v) for v in value])
    if kind is dict:
        return ("dict", sorted(repr((norm(k), norm(v))) for k, v in value.items()))
    return (kind.__name__, repr(value))

def read(case):
    return [ast.literal_eval(text) for text in case["args"]] + [ast.literal_eval(text) for text in case.get("kwargs", {}).values()]

def check(text):
    data = json.loads(text)
    seeds = [read(case) for case in data["seeds"]]
    allowed = [set().union(*(kinds(seed[position]) for seed in seeds)) for position in range(len(seeds[0]))]
    keys = {repr(norm(seed)) for seed in seeds}
    for case in data["made"]:
        values = read(case)
        assert len(values) == len(allowed), case
        for position, value in enumerate(values):
            assert kinds(value) <= allowed[position], (position, value, kinds(value) - allowed[position])
        key = repr(norm(values))
        assert key not in keys, ("seen before", case)
        keys.add(key)
`;

const BOUNDS = `
import ast, json

def walk(value, limit_text, limit_items, limit_int):
    kind = type(value)
    if kind in (str, bytes):
        assert len(value) <= limit_text, len(value)
    elif kind is int:
        assert abs(value) <= limit_int, value
    elif kind in (list, tuple, set, dict):
        assert len(value) <= limit_items, len(value)
        for item in value:
            walk(item, limit_text, limit_items, limit_int)

def check(text):
    for case in json.loads(text):
        values = [ast.literal_eval(a) for a in case["args"]]
        big = type(values[2]) is int and abs(values[2]) > 10 ** 6
        for value in values:
            walk(value, 200, 50, 10 ** 9 if big else 10 ** 6)
`;
