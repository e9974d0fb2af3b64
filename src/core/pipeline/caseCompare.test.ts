/**
 * The comparisons of the oracle and verify stages on outcomes from real Python (the harness in Node, two
 * interpreters with hash seeds 0 and 1, as the run's `python` and `recheck`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toCasesResult } from '../../adapters/python/settle.ts';
import type { CaseArgs, CaseOutcome } from '../../domain/cases.ts';
import type { OracleCase } from '../../domain/pipeline.ts';
import type { Runner } from '../../../workers/python/runner.ts';
import { nodeRunner } from '../../../test/builders/pyodideRunner.ts';
import { disagreement, sameBehaviour } from './caseCompare.ts';

let first: Runner;
let second: Runner;
beforeAll(async () => {
  [first, second] = await Promise.all([nodeRunner(0), nodeRunner(1)]);
});

/** `f` of `program` on one argument set, on the given interpreter with the given random seed. */
function outcome(program: string, args: string[], options: { runner?: Runner; seed?: number } = {}): CaseOutcome {
  const cases: CaseArgs[] = [{ args }];
  const job = { program, entryPoint: 'f', cases, seed: options.seed ?? 0, coverage: false, tests: false };
  const result = toCasesResult((options.runner ?? first).runCases(job), 10_000, 1);
  if (result.kind !== 'ran') throw new Error(`${program}: ${JSON.stringify(result)}`);
  return result.cases[0]!;
}

/** What the oracle records of an outcome (stages/oracle.ts). */
function expectOf(o: CaseOutcome): OracleCase['expect'] {
  if (o.kind === 'ok') return { kind: 'ok', value: o.value, stdout: o.stdout.text, argsAfter: o.argsAfter };
  if (o.kind === 'exception') return { kind: 'exception', type: o.type };
  throw new Error(`not a usable outcome: ${o.kind}`);
}

/** How `solution` disagrees with `original` on `args` (null when it agrees). */
function verdict(original: string, solution: string, args: string[]): string | null {
  return disagreement(expectOf(outcome(original, args)), outcome(solution, args));
}

describe('disagreement (verify: a solution against the oracle)', () => {
  it('lets floats differ by up to 1e-6, as the exported tests do', () => {
    const original = 'def f(x):\n    return x / 3';
    expect(verdict(original, 'def f(x):\n    return x / 3 + 5e-7', ['1.0'])).toBeNull();
    expect(verdict(original, 'def f(x):\n    return [x / 3 - 5e-7]', ['1.0'])).toBe('returned another value');
    expect(verdict(original, 'def f(x):\n    return x / 3 + 2e-6', ['1.0'])).toBe('returned another value');
    expect(
      verdict('def f(x):\n    return [x / 3, 2.0]', 'def f(x):\n    return [x / 3 + 1e-7, 2.0000001]', ['1.0']),
    ).toBeNull();
  });

  it('tells an int from a float and a tuple from a list', () => {
    expect(verdict('def f(x):\n    return 1', 'def f(x):\n    return 1.0', ['0'])).toBe('returned another value');
    expect(verdict('def f(x):\n    return (x, x)', 'def f(x):\n    return [x, x]', ['0'])).toBe(
      'returned another value',
    );
    expect(verdict('def f(x):\n    return True', 'def f(x):\n    return 1', ['0'])).toBe('returned another value');
  });

  it('requires the same exception type, whatever its message', () => {
    const original = 'def f(x):\n    raise ValueError("bad " + str(x))';
    expect(verdict(original, 'def f(x):\n    raise ValueError("something else")', ['1'])).toBeNull();
    expect(verdict(original, 'def f(x):\n    raise TypeError("bad")', ['1'])).toBe(
      'raised TypeError instead of ValueError',
    );
    expect(verdict(original, 'def f(x):\n    return None', ['1'])).toBe('returned instead of raising ValueError');
    expect(verdict('def f(x):\n    return x', original, ['1'])).toMatch(/^raised ValueError: bad 1/);
  });

  it('compares what was printed, exactly', () => {
    const original = 'def f(x):\n    print("total", x)';
    expect(verdict(original, 'def f(x):\n    print("total " + str(x))', ['3'])).toBeNull();
    expect(verdict(original, 'def f(x):\n    print("total:", x)', ['3'])).toBe('printed something else');
    expect(verdict(original, 'def f(x):\n    return None', ['3'])).toBe('printed something else');
  });

  it('compares the state the call left its arguments in', () => {
    const original = 'def f(xs):\n    xs.sort()';
    const inPlace = outcome(original, ['[3, 1, 2]']);
    expect(inPlace.kind === 'ok' && inPlace.argsAfter[0]).toEqual({
      t: 'list',
      v: [1, 2, 3].map((v) => ({ t: 'int', v: String(v) })),
    });
    expect(verdict(original, 'def f(xs):\n    xs[:] = sorted(xs)', ['[3, 1, 2]'])).toBeNull();
    expect(verdict(original, 'def f(xs):\n    sorted(xs)', ['[3, 1, 2]'])).toBe('left its arguments in another state');
    expect(
      verdict('def f(xs):\n    return sorted(xs)', 'def f(xs):\n    xs.sort()\n    return xs', ['[3, 1, 2]']),
    ).toBe('left its arguments in another state');
  });

  it('names what went wrong when the solution did not run', () => {
    const expect_ = expectOf(outcome('def f(x):\n    return x', ['1']));
    expect(disagreement(expect_, { kind: 'timeout' })).toBe('timed out');
    expect(disagreement(expect_, { kind: 'crashed', detail: 'worker died' })).toBe('crashed: worker died');
    expect(disagreement(expect_, { kind: 'memory' })).toBe('ran out of memory');
    expect(disagreement(expect_, outcome('def f(x, y):\n    return x', ['1']))).toMatch(/^arity: /);
  });
});

describe('sameBehaviour (oracle: two runs of the original)', () => {
  const again = (program: string, args: string[]) =>
    sameBehaviour(outcome(program, args, { seed: 0 }), outcome(program, args, { runner: second, seed: 1 }));

  it('holds for a deterministic function', () => {
    expect(again('def f(x):\n    return sorted(set(x))', ['[3, 1, 3]'])).toBe(true);
    expect(again('def f(x):\n    return {w: len(w) for w in x}', ["['a', 'bb']"])).toBe(true);
  });

  it('fails for random numbers, the clock, and set order that reaches the output', () => {
    expect(again('import random\ndef f(x):\n    return random.random() * x', ['1'])).toBe(false);
    expect(again('import time\ndef f(x):\n    return time.time() + x', ['1'])).toBe(false);
    const printsSet = "def f(x):\n    print({w + 'x' for w in x})";
    expect(again(printsSet, ["['apple', 'banana', 'cherry', 'date', 'elder', 'fig']"])).toBe(false);
    // A returned set is compared as a set: its order does not matter.
    expect(again("def f(x):\n    return {w + 'x' for w in x}", ["['apple', 'banana', 'cherry']"])).toBe(true);
  });

  it('holds for the same exception type with another message, not for a return against a raise', () => {
    const raisesRandom = 'import random\ndef f(x):\n    raise ValueError(random.random())';
    expect(again(raisesRandom, ['1'])).toBe(true);
    // random.seed(0) draws 0.84 first, random.seed(1) 0.13: one run returns, the other raises.
    expect(
      again('import random\ndef f(x):\n    if random.random() < 0.5:\n        raise ValueError()\n    return x', ['1']),
    ).toBe(false);
  });

  it('compares floats strictly (no 1e-6 tolerance between two runs of the same code)', () => {
    const a = outcome('def f(x):\n    return x / 3', ['1.0']);
    const b = outcome('def f(x):\n    return x / 3 + 1e-9', ['1.0']);
    expect(sameBehaviour(a, a)).toBe(true);
    expect(sameBehaviour(a, b)).toBe(false);
  });

  it('lets two runs differ by rounding (another summation order), not by a clock tick', () => {
    const echo = 'def f(x):\n    return x';
    // 0.1 + 0.2 + 0.3 summed in two orders: one unit in the last place apart.
    expect(sameBehaviour(outcome(echo, ['0.6000000000000001']), outcome(echo, ['0.6']))).toBe(true);
    // time.time() read 25 ms apart (what the two runs of the oracle see): a relative difference of 1.4e-11.
    expect(sameBehaviour(outcome(echo, ['1796142003.199']), outcome(echo, ['1796142003.224']))).toBe(false);
  });

  it('compares the arguments the call changed', () => {
    const shuffles = 'import random\ndef f(xs):\n    random.shuffle(xs)';
    expect(again(shuffles, ['[1, 2, 3, 4, 5, 6, 7, 8]'])).toBe(false);
    expect(again('def f(xs):\n    xs.reverse()', ['[1, 2, 3]'])).toBe(true);
  });
});
