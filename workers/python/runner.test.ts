/**
 * The extractor and the doctest runner on real code, in Node through the pyodide package: HumanEval's and
 * MBPP's reference solutions, checked against native CPython (function counts from its own ast; exported
 * tests re-run in fresh python3 processes).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { composeProgram, entryPoint } from '../../src/core/extract/composeProgram.ts';
import { parseExtractReply } from '../../src/core/extract/parseExtractReply.ts';
import { parseRunOutcome } from '../../src/core/verify/parseRunOutcome.ts';
import type { ExtractReply, ExtractedFunction, Segment } from '../../src/domain/extract.ts';
import type { RunOutcome } from '../../src/domain/verify.ts';
import { humanEval, mbpp, MBPP_MATH_WITHOUT_IMPORT } from '../../test/builders/benchmarks.ts';
import { nativeFunctionCounts, nativeRun } from '../../test/builders/nativePython.ts';
import { nodeRunner } from '../../test/builders/pyodideRunner.ts';
import type { Runner, Settled } from './runner.ts';

let runner: Runner;
beforeAll(async () => {
  runner = await nodeRunner();
});

function reply(settled: Settled): unknown {
  if (settled.kind !== 'reply') throw new Error(`runner did not reply: ${JSON.stringify(settled)}`);
  return settled.value;
}

function extract(path: string, text: string, localModules: string[] = []): ExtractReply {
  return parseExtractReply(reply(runner.extract({ path, text, localModules })));
}

type Extracted = { segments: Segment[]; functions: ExtractedFunction[]; program(fn: ExtractedFunction): string };

function extracted(path: string, text: string): Extracted {
  const result = extract(path, text);
  if (!result.ok) throw new Error(`${path} did not parse: ${result.error.message}`);
  const { segments, functions } = result;
  return { segments, functions, program: (fn) => composeProgram(text, segments, fn.program!) };
}

function doctest(text: string, qualname: string): RunOutcome {
  const { functions, program } = extracted('m.py', text);
  const fn = functions.find((f) => f.qualname === qualname);
  if (!fn?.program || fn.docstring === null) throw new Error(`${qualname} is not runnable`);
  const job = { program: program(fn), docstring: fn.docstring, name: fn.name, entryPoint: entryPoint(fn) };
  return parseRunOutcome(reply(runner.runDoctest(job)));
}

describe('extraction of HumanEval reference solutions', () => {
  const tasks = humanEval();
  const files = tasks.map((t) => ({
    path: `${t.task_id.replace('/', '_')}.py`,
    text: t.prompt + t.canonical_solution,
  }));

  it('finds as many functions as CPython ast in every file, the entry point among them', () => {
    const native = nativeFunctionCounts(files);
    for (const [i, file] of files.entries()) {
      const { functions } = extracted(file.path, file.text);
      expect(functions.length, file.path).toBe(native[file.path]);
      const entry = functions.find((f) => f.qualname === tasks[i]!.entry_point);
      expect(entry?.kind, file.path).toBe('function');
      expect(entry?.program, file.path).not.toBeNull();
    }
  });

  it("gives every entry point a standalone program that passes the task's own check()", () => {
    const failing: string[] = [];
    for (const [i, task] of tasks.entries()) {
      const { functions, program: compose } = extracted(files[i]!.path, files[i]!.text);
      const entry = functions.find((f) => f.qualname === task.entry_point)!;
      const program = compose(entry);
      const outcome = parseRunOutcome(
        reply(runner.runTests({ program, tests: [task.test, `check(${task.entry_point})`] })),
      );
      if (outcome.status !== 'passed') failing.push(task.task_id);
    }
    // HumanEval/50's check() calls encode_shift, a sibling that decode_shift itself never uses, so the
    // program of decode_shift rightly leaves it out.
    expect(failing).toEqual(['HumanEval/50']);
  });

  it('runs the doctests in the prompts, and what passes also passes under native CPython', () => {
    const exported: string[] = [];
    const counts: Record<string, number> = {};
    for (const [i, task] of tasks.entries()) {
      const { functions, program: compose } = extracted(files[i]!.path, files[i]!.text);
      const entry = functions.find((f) => f.qualname === task.entry_point)!;
      if (entry.examples.length === 0) continue;
      const program = compose(entry);
      const job = { program, docstring: entry.docstring!, name: entry.name, entryPoint: entryPoint(entry) };
      const outcome = parseRunOutcome(reply(runner.runDoctest(job)));
      counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
      if (outcome.status === 'passed') exported.push(program + '\n' + outcome.tests.join('\n') + '\n');
    }
    // Many prompts carry doctests; some are written loosely (wrong spacing, prose in the output) and fail.
    expect(counts['passed']).toBeGreaterThan(40);
    expect(counts['failed'] ?? 0).toBeGreaterThan(0);
    const rerun = nativeRun(exported);
    expect(rerun.filter((r) => !r.ok)).toEqual([]);
  });
});

describe('extraction of MBPP reference solutions', () => {
  const tasks = mbpp();

  it('composes programs that pass MBPP tests, except exactly the 10 that use math without importing it', () => {
    const failing: number[] = [];
    const files = tasks.map((t) => ({ path: `mbpp_${t.task_id}.py`, text: t.code }));
    const native = nativeFunctionCounts(files);
    for (const [i, task] of tasks.entries()) {
      const { functions, program: compose } = extracted(files[i]!.path, files[i]!.text);
      expect(functions.length, files[i]!.path).toBe(native[files[i]!.path]);
      // The function the first assert calls is the task's entry point.
      const called = /assert\s+(?:not\s+)?\(?\s*(?:set\()?\s*(?:math\.isclose\()?\s*([A-Za-z_]\w*)\s*\(/.exec(
        task.test_list[0]!,
      )?.[1];
      const entry = functions.find((f) => f.qualname === called) ?? functions.find((f) => f.kind === 'function');
      const program = entry?.program ? compose(entry) : task.code;
      const tests = [task.test_setup_code, ...task.test_list].filter((t) => t.trim() !== '');
      const outcome = parseRunOutcome(reply(runner.runTests({ program, tests })));
      if (outcome.status !== 'passed') {
        failing.push(task.task_id);
        expect(outcome.status === 'error' && outcome.exception.type, `task ${task.task_id}`).toBe('NameError');
      }
    }
    expect(failing.sort((a, b) => a - b)).toEqual(MBPP_MATH_WITHOUT_IMPORT);
    // 427 programs extracted and run in one interpreter: about 40 s here, twice that on a busy machine.
  }, 240_000);
});

describe('doctest outcomes', () => {
  it('passes and turns examples into plain asserts', () => {
    const outcome = doctest(
      'import math\n\ndef area(r):\n    """Area of a circle.\n\n    >>> round(area(1), 2)\n    3.14\n    >>> area(0)\n    0.0\n    """\n    return math.pi * r * r\n',
      'area',
    );
    expect(outcome).toEqual({
      status: 'passed',
      examples: 2,
      tests: ['assert round(area(1), 2) == 3.14', 'assert area(0) == 0.0'],
      plainAsserts: true,
    });
  });

  it('reports the first failing example with expected and got', () => {
    const outcome = doctest(
      'def inc(x):\n    """\n    >>> inc(1)\n    2\n    >>> inc(2)\n    4\n    """\n    return x + 1\n',
      'inc',
    );
    expect(outcome).toMatchObject({ status: 'failed', example: { source: 'inc(2)\n', want: '4\n', got: '3\n' } });
  });

  it('reports an unexpected exception as an error with its type', () => {
    const outcome = doctest('def div(a, b):\n    """\n    >>> div(1, 0)\n    0\n    """\n    return a / b\n', 'div');
    expect(outcome).toMatchObject({ status: 'error', phase: 'example', exception: { type: 'ZeroDivisionError' } });
  });

  it('accepts expected exceptions and keeps them as tests', () => {
    const outcome = doctest(
      'def check(x):\n    """\n    >>> check(-1)\n    Traceback (most recent call last):\n    ...\n    ValueError: negative\n    """\n    if x < 0:\n        raise ValueError("negative")\n',
      'check',
    );
    expect(outcome.status).toBe('passed');
    expect(outcome.status === 'passed' && outcome.tests[0]).toContain("type(_error).__name__ == 'ValueError'");
  });

  it('names the missing module of a function that needs a third-party package', () => {
    const outcome = doctest(
      'import numpy as np\n\ndef total(xs):\n    """\n    >>> total([1, 2])\n    3\n    """\n    return int(np.sum(xs))\n',
      'total',
    );
    expect(outcome).toEqual({ status: 'not_runnable', module: 'numpy', detail: "No module named 'numpy'" });
  });

  it('falls back to an exact doctest assert when output cannot be a plain assert (ELLIPSIS, print)', () => {
    const outcome = doctest(
      'def show(n):\n    """\n    >>> show(3)\n    0\n    1\n    2\n    >>> list(range(100))  # doctest: +ELLIPSIS\n    [0, 1, ..., 99]\n    """\n    for i in range(n):\n        print(i)\n',
      'show',
    );
    expect(outcome).toMatchObject({ status: 'passed', plainAsserts: false });
    expect(outcome.status === 'passed' && outcome.tests[0]).toContain('import doctest');
  });

  it('treats a docstring whose examples are all skipped as having no doctests', () => {
    const outcome = doctest('def f():\n    """\n    >>> f()  # doctest: +SKIP\n    1\n    """\n    return 2\n', 'f');
    expect(outcome.status).toBe('no_doctests');
  });

  it('runs a method with its whole class and the helpers the class needs', () => {
    const text = [
      'from dataclasses import dataclass',
      'SCALE = 10',
      '',
      '@dataclass',
      'class Money:',
      '    cents: int',
      '',
      '    def scaled(self):',
      '        """',
      '        >>> Money(3).scaled()',
      '        30',
      '        """',
      '        return self.cents * SCALE',
      '',
    ].join('\n');
    const { functions, program } = extracted('money.py', text);
    const method = functions.find((f) => f.qualname === 'Money.scaled')!;
    expect(method.kind).toBe('method');
    expect(entryPoint(method)).toBe('Money.scaled');
    expect(program(method)).toBe(
      'from dataclasses import dataclass\n\n\nSCALE = 10\n\n\n' + text.slice(text.indexOf('@dataclass')),
    );
    expect(doctest(text, 'Money.scaled').status).toBe('passed');
  });
});

describe('files that do not parse or cannot run alone', () => {
  it('reports a SyntaxError with its line', () => {
    expect(extract('bad.py', 'def ok():\n    pass\n\ndef broken(:\n    pass\n')).toEqual({
      ok: false,
      error: { kind: 'SyntaxError', line: 4, column: 12, message: 'invalid syntax' },
    });
  });

  it('survives nesting too deep for the parser and still counts deep but valid nesting', () => {
    const deep = extract('deep.py', 'x = ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n');
    expect(deep.ok).toBe(false);
    let nested = '';
    for (let i = 0; i < 60; i++) nested += '    '.repeat(i) + `def f${i}():\n`;
    nested += '    '.repeat(60) + 'return 1\n';
    const result = extracted('nested.py', nested);
    expect(result.functions).toHaveLength(60);
    expect(result.functions.filter((f) => f.kind === 'nested')).toHaveLength(59);
  });

  it('marks nested functions, project imports and third-party imports as blockers', () => {
    const text =
      'import requests\nfrom . import sibling\nfrom mypkg.util import helper\n\ndef outer():\n    def inner():\n        return 1\n    return inner\n\ndef fetch():\n    return requests.get(helper(sibling))\n';
    const result = extract('m.py', text, ['mypkg']);
    if (!result.ok) throw new Error('should parse');
    const byName = Object.fromEntries(result.functions.map((f) => [f.qualname, f]));
    expect(byName['outer.<locals>.inner']!.blockers).toEqual([{ kind: 'nested' }]);
    expect(byName['outer']!.blockers).toEqual([]);
    expect(byName['fetch']!.blockers).toEqual([
      { kind: 'local_module', module: '.' },
      { kind: 'local_module', module: 'mypkg' },
      { kind: 'third_party', module: 'requests' },
    ]);
    expect(result.modules).toEqual([
      { name: '.', origin: 'local' },
      { name: 'mypkg', origin: 'local' },
      { name: 'requests', origin: 'third_party' },
    ]);
  });
});
