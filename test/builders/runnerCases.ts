/**
 * What the Python runner must guarantee, as data, so the same cases run on both hosts: in Node through the
 * pyodide package (test/unit/runnerCases.test.ts) and in Chromium through the sandboxed pool
 * (test/e2e/runner.test.ts). Each case is a sequence of calls on ONE interpreter; the last call's result
 * is checked. Isolation cases make the first call change the interpreter and the last one look.
 */
import type { CallJob, CallResult } from '../../src/domain/run.ts';

export type Step = CallJob & { pauseMs?: number };
export type Check = (result: CallResult) => void;
export type RunnerCase = { name: string; steps: Step[]; check: Check; browserOnly?: boolean };

const ok =
  (text: string): Check =>
  (r) => {
    if (r.kind !== 'ok') throw new Error(`expected ok ${text}, got ${JSON.stringify(r).slice(0, 400)}`);
    if (r.text !== text) throw new Error(`expected ${text}, got ${r.text}`);
  };
const raises =
  (type: string): Check =>
  (r) => {
    if (r.kind !== 'exception' || r.type !== type)
      throw new Error(`expected ${type}, got ${JSON.stringify(r).slice(0, 400)}`);
  };
const int = (n: number | string) => `{"t":"int","v":"${n}"}`;
const bool = (b: boolean) => `{"t":"bool","v":${b}}`;
const str = (s: string) => `{"t":"str","v":${JSON.stringify(s)}}`;
const tuple = (...items: string[]) => `{"t":"tuple","v":[${items.join(',')}]}`;
const call = (program: string, expression: string, extra: Partial<Step> = {}): Step => ({
  program,
  expression,
  ...extra,
});

export const ISOLATION: RunnerCase[] = [
  {
    name: 'a patched builtin does not reach the next run',
    steps: [call('import builtins\nbuiltins.len = lambda x: 42', '1'), call('', 'len([1, 2])')],
    check: ok(int(2)),
  },
  {
    name: 'a builtin added by one run is gone in the next',
    steps: [call('import builtins\nbuiltins.secret = 1', '1'), call('', 'secret')],
    check: raises('NameError'),
  },
  {
    name: 'a deleted builtin is back',
    steps: [call('import builtins\ndel builtins.abs', '1'), call('', 'abs(-3)')],
    check: ok(int(3)),
  },
  {
    name: 'a module replaced in sys.modules is put back',
    steps: [
      call(
        "import sys, types\nfake = types.ModuleType('json')\nfake.dumps = lambda *a: 'fake'\nsys.modules['json'] = fake",
        '1',
      ),
      call('import json', 'json.dumps([1])'),
    ],
    check: ok(str('[1]')),
  },
  {
    name: 'a module added to sys.modules is dropped',
    steps: [
      call("import sys, types\nsys.modules['planted'] = types.ModuleType('planted')", '1'),
      call('import planted', '1'),
    ],
    check: raises('ModuleNotFoundError'),
  },
  {
    name: "one run's globals are not the next run's",
    steps: [call('LEFTOVER = 1', '1'), call('', 'LEFTOVER')],
    check: raises('NameError'),
  },
  {
    name: 'files written to the virtual file system are gone',
    steps: [
      call(
        "import os\nopen('/tmp/leak.txt', 'w').write('x')\nopen('here.txt', 'w').write('y')\nopen(os.path.expanduser('~/home.txt'), 'w').write('z')",
        '1',
      ),
      call(
        'import os',
        "(os.path.exists('/tmp/leak.txt'), os.path.exists('here.txt'), os.path.exists(os.path.expanduser('~/home.txt')))",
      ),
    ],
    check: ok(tuple(bool(false), bool(false), bool(false))),
  },
  {
    name: 'the recursion limit is restored',
    steps: [call('import sys\nsys.setrecursionlimit(60)', '1'), call('import sys', 'sys.getrecursionlimit() > 60')],
    check: ok(bool(true)),
  },
  {
    name: 'a monkeypatched standard-library function and constant are restored',
    steps: [
      call('import math\nmath.pi = 3\nmath.sqrt = lambda x: -1', '1'),
      call('import math', '(math.pi > 3.14, math.sqrt(4))'),
    ],
    check: ok(tuple(bool(true), '{"t":"float","v":"2.0"}')),
  },
  {
    name: 'a patch made inside a function (import in the function) is restored',
    steps: [
      call("def patch():\n    import textwrap\n    textwrap.dedent = lambda s: 'patched'\npatch()", '1'),
      call('import textwrap', "textwrap.dedent('  a')"),
    ],
    check: ok(str('a')),
  },
  {
    name: 'a patched standard-library class is restored',
    steps: [
      call("import fractions\nfractions.Fraction.__repr__ = lambda self: 'patched'", '1'),
      call('import fractions', 'repr(fractions.Fraction(1, 2))'),
    ],
    check: ok(str('Fraction(1, 2)')),
  },
  {
    name: 'no thread can be left running (the interpreter has none)',
    steps: [call('import threading\nthreading.Thread(target=lambda: None).start()', '1')],
    check: raises('RuntimeError'),
  },
  {
    name: 'a callback left on the event loop cannot change the next run',
    steps: [
      call("import asyncio, math\nasyncio.get_event_loop().call_soon(lambda: setattr(math, 'pi', 0))", '1', {
        pauseMs: 50,
      }),
      call('import math', 'math.pi > 3.14'),
    ],
    check: ok(bool(true)),
  },
  {
    name: 'trace hooks, warnings filters, environment, cwd and decimal context are reset',
    steps: [
      call(
        "import sys, os, warnings, decimal\nsys.settrace(lambda *a: None)\nwarnings.simplefilter('error')\nos.environ['PLANTED'] = '1'\nos.chdir('/')\ndecimal.getcontext().prec = 3",
        '1',
      ),
      call(
        'import sys, os, warnings, decimal',
        "(sys.gettrace() is None, 'PLANTED' in os.environ, os.getcwd() != '/', decimal.getcontext().prec, warnings.filters[0][0] != 'error')",
      ),
    ],
    check: ok(tuple(bool(true), bool(false), bool(true), int(28), bool(true))),
  },
  {
    name: 'random is seeded per run: the same seed gives the same numbers',
    steps: [
      call('import random', 'random.random()', { seed: 7 }),
      call('import random', 'random.random()', { seed: 7 }),
    ],
    check: (r) => {
      if (r.kind !== 'ok' || r.text !== '{"t":"float","v":"0.32383276483316237"}') throw new Error(JSON.stringify(r));
    },
  },
];

export const LIMITS: RunnerCase[] = [
  {
    name: 'stdout and stderr are capped at 64 KiB each, with a truncated flag',
    steps: [call("import sys\nprint('x' * 200_000)\nsys.stderr.write('e' * 100)", '1')],
    check: (r) => {
      if (r.kind !== 'ok') throw new Error(JSON.stringify(r).slice(0, 300));
      if (r.stdout.text.length !== 65536 || !r.stdout.truncated)
        throw new Error(`stdout ${r.stdout.text.length} ${r.stdout.truncated}`);
      if (r.stderr.text !== 'e'.repeat(100) || r.stderr.truncated) throw new Error(`stderr ${r.stderr.text.length}`);
    },
  },
  {
    name: 'deep recursion is a RecursionError',
    steps: [call('def f(n):\n    return f(n + 1)', 'f(0)')],
    check: raises('RecursionError'),
  },
  {
    name: 'a deeply nested value is a RecursionError while printing it, not a crash',
    steps: [call('a = []\nfor _ in range(100_000):\n    a = [a]', 'repr(a)')],
    check: raises('RecursionError'),
  },
  {
    // 2**30 slots of 4 bytes is past what 32-bit WebAssembly can address: MemoryError at once.
    name: 'a huge allocation is a memory outcome',
    steps: [call('', '[None] * (2 ** 30)')],
    check: (r) => {
      if (r.kind !== 'memory') throw new Error(JSON.stringify(r).slice(0, 300));
    },
  },
  {
    name: 'the interpreter still works after all of that',
    steps: [call('', '[None] * (2 ** 30)'), call('def f(n):\n    return f(n + 1)', 'f(0)'), call('', '1 + 1')],
    check: ok(int(2)),
  },
  {
    name: 'an endless loop is stopped at the time limit',
    steps: [call('', 'exec("while True:\\n    pass")')],
    check: (r) => {
      if (r.kind !== 'timeout') throw new Error(JSON.stringify(r).slice(0, 300));
    },
    browserOnly: true,
  },
  {
    name: 'a long C call is stopped at the time limit',
    steps: [call('', 'sum(range(10 ** 12))')],
    check: (r) => {
      if (r.kind !== 'timeout') throw new Error(JSON.stringify(r).slice(0, 300));
    },
    browserOnly: true,
  },
];

export const ALL_CASES = [...ISOLATION, ...LIMITS];
