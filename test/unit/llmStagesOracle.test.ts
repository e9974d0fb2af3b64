/**
 * The oracle on code that is hard to test by running it: random numbers, the clock, set order that reaches
 * the output, arguments changed in place, inputs it loops on for ever, exceptions. Real Python with time
 * limits (deadlinePython.ts: the watcher raises KeyboardInterrupt through Pyodide's interrupt buffer, as the
 * browser's pool does, so a hanging case times out for real and casesRun.ts splits its batch), a scripted
 * model that proposes the listed inputs and answers with the listed solutions. No mutated inputs
 * (probe.mutations 0), so the oracle's tallies count exactly the listed inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE_SETTINGS, type PipelineSettings } from '../../src/domain/pipeline.ts';
import type { ScriptedFunction } from '../builders/corpusLlm.ts';
import { deadlinePython, type PythonPair } from '../builders/deadlinePython.ts';
import { runScripted, type ScriptedRun } from '../builders/llmProject.ts';
import { runNatively } from '../builders/nativeTests.ts';

let pair: PythonPair;
beforeAll(async () => {
  // Calls are cut at 5 s: inputs that loop stop at their own per-case budget (50 ms once a few cases ran),
  // so a batch with many of them (negative Collatz inputs cycle for ever) stays far under it.
  pair = await deadlinePython(5_000);
});
afterAll(async () => {
  await pair?.dispose();
});

const SETTINGS: PipelineSettings = {
  ...DEFAULT_PIPELINE_SETTINGS,
  probe: { ...DEFAULT_PIPELINE_SETTINGS.probe, mutations: 0 },
};

const PROGRAM = `import random
import time


def noisy(x):
    return x + random.random()


def stamp(label):
    return f"{label} at {time.time()}"


def elapsed(start):
    return time.time() - start


def show_tags(tags):
    print(set(tags))


def jitter(x):
    if x < 0:
        return x + random.random()
    return x * 2


def sort_in_place(items):
    items.sort()


# Written unlike sort_in_place and safe_sqrt below, or dedup would drop them as copies before the oracle.
def arrange(items):
    items[:] = sorted(items)


def count_after_sort(items):
    items.sort()
    return len(items)


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def safe_sqrt(x):
    if x < 0:
        raise ValueError("negative input")
    return x ** 0.5


def safe_root(x):
    if x >= 0:
        return x ** 0.5
    raise ValueError("negative input")
`;

/** The function `name` of PROGRAM, as its own solution (the imports it may need first). */
function own(name: string): string {
  const start = PROGRAM.indexOf(`def ${name}(`);
  const end = PROGRAM.indexOf('\n\n\ndef ', start);
  return `import random\nimport time\n\n${PROGRAM.slice(start, end < 0 ? undefined : end).trimEnd()}`;
}

const LISTS = [['[3, 1, 2]'], ['[]'], ['[5, 5, 1]'], ["['b', 'a', 'c']"]];
const TAGS = ["['red', 'green', 'blue', 'cyan', 'magenta', 'yellow']", "['ant', 'bee', 'cat', 'dog', 'eel']"];

const fn = (entryPoint: string, what: string, cases: string[][], solution = own(entryPoint)): ScriptedFunction => ({
  entryPoint,
  instructions: [`named \`${entryPoint}\` that ${what}`],
  cases,
  solution,
});

const FUNCTIONS: ScriptedFunction[] = [
  fn('noisy', 'adds a random number in [0, 1) to x.', [['1'], ['2'], ['0'], ['-1.5']]),
  fn('stamp', 'returns the label followed by " at " and the current time.', [["'a'"], ["'b'"], ["''"]]),
  fn('elapsed', 'returns the seconds since the epoch minus start.', [['0'], ['100.0'], ['1000000000']]),
  fn('show_tags', 'prints the set of the given tags.', [
    [TAGS[0]!],
    [TAGS[1]!],
    ["['x', 'y', 'z', 'w']"],
    ["['one', 'two', 'three']"],
  ]),
  fn('jitter', 'returns 2 * x for x >= 0, and x plus a random number in [0, 1) for negative x.', [
    ['1'],
    ['2'],
    ['0'],
    ['5'],
    ['-1'],
    ['-2'],
  ]),
  fn(
    'sort_in_place',
    'sorts the given list in place and returns None.',
    LISTS,
    'def sort_in_place(items):\n    items[:] = sorted(items)',
  ),
  fn(
    'arrange',
    'sorts the given list in place and returns None.',
    LISTS,
    'def arrange(items):\n    return sorted(items)',
  ),
  fn(
    'count_after_sort',
    'sorts the list in place and returns its length.',
    LISTS,
    'def count_after_sort(items):\n    return len(sorted(items))',
  ),
  fn('collatz_steps', 'returns the number of Collatz steps from n down to 1.', [
    ['1'],
    ['2'],
    ['3'],
    ['6'],
    ['7'],
    ['0'],
  ]),
  fn('safe_sqrt', 'returns the square root of x and raises ValueError for negative x.', [
    ['4'],
    ['9'],
    ['0'],
    ['-1'],
    ['-4'],
    ['2.25'],
  ]),
  fn(
    'safe_root',
    'returns the square root of x and raises ValueError for negative x.',
    [['4'], ['9'], ['0'], ['-1'], ['-4'], ['2.25']],
    'def safe_root(x):\n    return abs(x) ** 0.5',
  ),
];

describe('the oracle on hard-to-test code', () => {
  let run: ScriptedRun;
  beforeAll(async () => {
    run = await runScripted({ files: { 'hard.py': PROGRAM }, functions: FUNCTIONS, pair, settings: SETTINGS });
  }, 300_000);
  afterAll(async () => {
    await run?.project.dispose();
  });

  it('drops or keeps each function as its behaviour calls for, and nothing else', async () => {
    expect(run.end).toBe('done');
    expect(await run.fates()).toEqual({
      noisy: 'oracle: too-few-cases',
      stamp: 'oracle: too-few-cases',
      elapsed: 'oracle: too-few-cases',
      show_tags: 'oracle: too-few-cases',
      jitter: 'accepted',
      sort_in_place: 'accepted',
      arrange: 'verify: fails-cases',
      count_after_sort: 'verify: fails-cases',
      collatz_steps: 'accepted',
      safe_sqrt: 'accepted',
      safe_root: 'verify: fails-cases',
    });
  });

  it('drops every case of random numbers, the clock and printed set order as nondeterministic', async () => {
    for (const [name, inputs] of [
      ['noisy', 4],
      ['stamp', 3],
      ['elapsed', 3],
      ['show_tags', 4],
    ] as const) {
      const oracle = (await run.rows(name)).find((r) => r.stage === 'oracle')!;
      expect(oracle.detail, name).toContain(`${inputs} nondeterministic`);
      expect(oracle.detail, name).toMatch(/^No case returned a value/);
    }
  });

  it('keeps the deterministic cases of a function that is random only for some inputs', async () => {
    const oracle = (await run.output('jitter', 'oracle'))!;
    expect(oracle.tally['nondeterministic']).toBe(2);
    expect(oracle.cases.length).toBeGreaterThanOrEqual(3);
    expect(oracle.cases.every((c) => !c.args.args[0]!.startsWith('-'))).toBe(true);
  });

  it('records the arguments a call changed, and exports a test that checks them', async () => {
    const oracle = (await run.output('sort_in_place', 'oracle'))!;
    const unsorted = oracle.cases.find((c) => c.args.args[0] === '[3, 1, 2]')!;
    expect(unsorted.expect).toMatchObject({ kind: 'ok', value: { t: 'none' } });
    expect(unsorted.expect.kind === 'ok' && unsorted.expect.argsAfter[0]).toEqual({
      t: 'list',
      v: [1, 2, 3].map((v) => ({ t: 'int', v: String(v) })),
    });
    const tests = (await run.record('sort_in_place'))!.tests;
    expect(tests).toEqual((await run.output('sort_in_place', 'verify'))!.tests);
    const test = tests.find((t) => t.includes('[3, 1, 2]'))!;
    expect(test).toContain('_sv_a0 = [3, 1, 2]');
    expect(test).toContain('assert _sv_a0 == [1, 2, 3]');
    // The exported tests pass after the solution and the original, and fail after a copy that sorts a copy.
    const copying = 'def sort_in_place(items):\n    sorted(items)\n';
    const [solution, original, wrong] = runNatively([
      { program: (await run.output('sort_in_place', 'solve'))!.code!, tests },
      { program: PROGRAM, tests },
      { program: copying, tests },
    ]);
    expect(solution!.tests.every((t) => t === null)).toBe(true);
    expect(original!.tests.every((t) => t === null)).toBe(true);
    expect(wrong!.tests.some((t) => t !== null)).toBe(true);
  });

  it('fails a solution that returns a sorted copy instead of sorting in place', async () => {
    const arrange = (await run.output('arrange', 'verify'))!;
    expect(arrange.passed).toBeLessThan(arrange.total);
    // Same length returned, list left unsorted: only the state of the argument tells them apart.
    const count = (await run.output('count_after_sort', 'verify'))!;
    const unsorted = count.failures.filter((f) => f.got === 'left its arguments in another state');
    expect(unsorted.map((f) => f.args!.args[0]).sort()).toEqual(
      (await run.output('count_after_sort', 'oracle'))!.cases
        .filter((c) => c.expect.kind === 'ok' && c.expect.argsAfter[0] !== null)
        .map((c) => c.args.args[0])
        .sort(),
    );
    expect(count.passed).toBe(count.total - unsorted.length);
  });

  it('times out the input a function loops on for ever, alone, and keeps the others', async () => {
    const oracle = (await run.output('collatz_steps', 'oracle'))!;
    expect(oracle.tally['timeout']).toBe(1);
    expect(oracle.cases.map((c) => c.args.args[0])).not.toContain('0');
    expect(oracle.cases.length).toBeGreaterThanOrEqual(3);
    const verify = (await run.output('collatz_steps', 'verify'))!;
    expect(verify.passed).toBe(verify.total);
    // The input's own budget stopped it inside Python: no batch reached the pool's limit, none was split.
    expect(pair.python.timeouts).toBe(0);
  });

  it('keeps expected exceptions as cases, exports tests that check their type, and fails a solution that returns instead', async () => {
    const oracle = (await run.output('safe_sqrt', 'oracle'))!;
    const raising = oracle.cases.filter((c) => c.expect.kind === 'exception');
    expect(raising.length).toBeGreaterThan(0);
    expect(raising.every((c) => c.expect.kind === 'exception' && c.expect.type === 'ValueError')).toBe(true);
    const tests = (await run.record('safe_sqrt'))!.tests;
    expect(tests.some((t) => t.includes('except ValueError:'))).toBe(true);
    const [returns] = runNatively([{ program: 'def safe_sqrt(x):\n    return abs(x) ** 0.5\n', tests }]);
    expect(returns!.tests.some((t) => t !== null && t.includes('expected ValueError'))).toBe(true);

    const root = (await run.output('safe_root', 'verify'))!;
    expect(root.failures.map((f) => f.got)).toContain('returned instead of raising ValueError');
  });
});
