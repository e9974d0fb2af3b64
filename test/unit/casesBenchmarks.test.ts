/**
 * runCases and mutateCases on real code nobody on this project wrote: HumanEval's and MBPP's reference
 * solutions, on the literal arguments of the calls in their own tests. As the oracle stage would: each
 * batch runs twice (random seeds 0 and 1, hash seeds 0 and 1) and only cases that agree are kept. Every
 * test written for them must pass under native CPython after the reference solution, and most tasks' tests
 * must catch a wrong solution (another task's function with as many parameters, under this task's name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCasesResult, toMutateResult } from '../../src/adapters/python/settle.ts';
import { sameValue } from '../../src/core/verify/compareCanon.ts';
import type { CaseArgs, CaseOutcome, CasesJob, CasesResult } from '../../src/domain/cases.ts';
import type { Runner } from '../../workers/python/runner.ts';
import { humanEval, mbpp } from '../builders/benchmarks.ts';
import { deadlineRunner, type DeadlineRunner } from '../builders/deadlineRunner.ts';
import { nativePython, runNatively, type NativeSuite } from '../builders/nativeTests.ts';
import { nodeRunner } from '../builders/pyodideRunner.ts';
import { execFileSync } from 'node:child_process';

let python: DeadlineRunner;
let other: Runner;
beforeAll(async () => {
  [python, other] = await Promise.all([deadlineRunner(0), nodeRunner(1)]);
});
afterAll(async () => {
  await python.dispose();
});

/** One task as the pipeline sees it: a program, its entry point, and argument sets. */
type Task = { id: string; program: string; entryPoint: string; cases: CaseArgs[]; params: number };

/**
 * The literal arguments of the calls to `callee` in each test text (calls with a non-literal argument are
 * left out), the entry point (the callee, or the first function of the program the tests call) and its
 * number of parameters. Read with native CPython's ast, which nothing here wrote.
 */
const CALLS = `
import ast, json, sys, warnings
warnings.simplefilter("ignore")  # MBPP's code has escapes such as '\\w' in plain strings

def literal(node):
    try:
        ast.literal_eval(node)
        return True
    except Exception:
        return False

out = []
for job in json.load(sys.stdin):
    defs = {n.name: n for n in ast.parse(job["program"]).body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    tree = ast.parse(job["test"])
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    callee = job["callee"] or next((c.func.id for c in sorted(calls, key=lambda c: (c.lineno, c.col_offset)) if c.func.id in defs), None)
    entry = job["entry"] or callee
    cases, seen = [], set()
    for node in calls:
        if node.func.id != callee or any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            continue
        if not all(literal(a) for a in node.args) or not all(literal(k.value) for k in node.keywords):
            continue
        case = {"args": [ast.get_source_segment(job["test"], a) for a in node.args]}
        if node.keywords:
            case["kwargs"] = {k.arg: ast.get_source_segment(job["test"], k.value) for k in node.keywords}
        key = json.dumps(case, sort_keys=True)
        if key not in seen:
            seen.add(key)
            cases.append(case)
    params = len(defs[entry].args.args) if entry in defs else -1
    out.append({"entryPoint": entry, "cases": cases, "params": params})
print(json.dumps(out))
`;

type CallsJob = { program: string; test: string; callee: string | null; entry: string | null };

function literalCalls(jobs: CallsJob[]): { entryPoint: string | null; cases: CaseArgs[]; params: number }[] {
  const out = execFileSync(nativePython(), ['-c', CALLS], { input: JSON.stringify(jobs), maxBuffer: 256 << 20 });
  return JSON.parse(out.toString('utf8')) as { entryPoint: string | null; cases: CaseArgs[]; params: number }[];
}

function humanEvalTasks(): Task[] {
  const rows = humanEval();
  const jobs = rows.map((t) => ({
    program: t.prompt + t.canonical_solution,
    test: t.test,
    callee: 'candidate',
    entry: t.entry_point,
  }));
  return literalCalls(jobs).map((found, i) => ({
    id: rows[i]!.task_id,
    program: jobs[i]!.program,
    entryPoint: rows[i]!.entry_point,
    cases: found.cases,
    params: found.params,
  }));
}

function mbppTasks(): Task[] {
  const rows = mbpp();
  const jobs = rows.map((t) => ({ program: t.code, test: t.test_list.join('\n'), callee: null, entry: null }));
  return literalCalls(jobs).flatMap((found, i) =>
    found.entryPoint
      ? [
          {
            id: `mbpp/${rows[i]!.task_id}`,
            program: rows[i]!.code,
            entryPoint: found.entryPoint,
            cases: found.cases,
            params: found.params,
          },
        ]
      : [],
  );
}

type Tally = Record<string, number>;

function runTask(task: Task, cases: CaseArgs[], extra: Partial<CasesJob> = {}, limitMs = 30_000): CasesResult {
  const job: CasesJob = {
    program: task.program,
    entryPoint: task.entryPoint,
    cases,
    coverage: true,
    tests: true,
    ...extra,
  };
  return toCasesResult(
    python.within(limitMs, (r) => r.runCases(job)),
    limitMs,
    cases.length,
  );
}

/** Two outcomes of one case agree (the oracle's determinism check, done outside the workers). */
function agree(a: CaseOutcome, b: CaseOutcome): boolean {
  if (a.kind === 'ok' && b.kind === 'ok') return sameValue(a.value, b.value) && a.stdout.text === b.stdout.text;
  if (a.kind === 'exception' && b.kind === 'exception') return a.type === b.type && a.message === b.message;
  return false;
}

/** The tests of the cases that ran alike under both seeds, with the batch's helper. */
function oracleTests(task: Task, tally: Tally, limitMs = 30_000): { tests: string[]; helper: string | null } {
  const count = (key: string) => (tally[key] = (tally[key] ?? 0) + 1);
  const first = runTask(task, task.cases, { seed: 0 }, limitMs);
  if (first.kind !== 'ran') {
    count(`batch ${first.kind}`);
    return { tests: [], helper: null };
  }
  // The second interpreter has no time limit: it only runs what finished within the limit on the first.
  const { program, entryPoint, cases } = task;
  const job: CasesJob = { program, entryPoint, cases, coverage: false, tests: false, seed: 1 };
  const second = toCasesResult(other.runCases(job), limitMs, task.cases.length);
  if (second.kind !== 'ran') {
    count(`second batch ${second.kind}`);
    return { tests: [], helper: null };
  }
  const tests: string[] = [];
  for (const [i, outcome] of first.cases.entries()) {
    count(outcome.kind);
    if (outcome.kind !== 'ok' && outcome.kind !== 'exception') continue;
    if (!agree(outcome, second.cases[i]!)) count('nondeterministic');
    else if (outcome.test === null) count(`testless: ${outcome.testless}`);
    else tests.push(outcome.test);
  }
  return { tests, helper: first.helper };
}

/** For each task, the next task (cyclically) with as many parameters and another entry point. */
function wrongPrograms(tasks: Task[]): (string | null)[] {
  return tasks.map((task, i) => {
    for (let step = 1; step < tasks.length; step++) {
      const other = tasks[(i + step) % tasks.length]!;
      if (other.params === task.params && other.entryPoint !== task.entryPoint)
        return `${other.program}\n\n${task.entryPoint} = ${other.entryPoint}\n`;
    }
    return null;
  });
}

function checkSuite(tasks: Task[], label: string): void {
  const tally: Tally = {};
  const suites = tasks.map((task) => ({ task, ...oracleTests(task, tally) }));
  const withTests = suites.filter((s) => s.tests.length > 0);
  const suitesRun = withTests.map((s) => ({ program: s.task.program, helper: s.helper, tests: s.tests }));
  const right = runNatively(suitesRun, 120); // MBPP 123 takes seconds natively
  const failures = right.flatMap((run, i) =>
    run.tests.flatMap((error, t) =>
      error === null ? [] : [`${withTests[i]!.task.id}: ${withTests[i]!.tests[t]} -> ${error}`],
    ),
  );
  const wrong = wrongPrograms(withTests.map((s) => s.task));
  const caughtRuns = runNatively(
    withTests.flatMap((s, i) => (wrong[i] ? [{ program: wrong[i], helper: s.helper, tests: s.tests }] : [])),
  );
  const caught = caughtRuns.filter((run) => run.program !== null || run.tests.some((t) => t !== null)).length;
  const tests = withTests.reduce((n, s) => n + s.tests.length, 0);
  console.info(
    `${label}: ${tasks.length} tasks, cases ${JSON.stringify(tally)}; ${tests} tests in ${withTests.length} tasks, ` +
      `${tests - failures.length} pass natively; a wrong program caught in ${caught} of ${caughtRuns.length} tasks`,
  );
  expect(failures.filter((f) => !PLATFORM_DEPENDENT.some((id) => f.startsWith(`${id}:`)))).toEqual([]);
  expect(right.every((run) => run.program === null && run.helper === null && run.oneFile)).toBe(true);
  expect(withTests.length / tasks.length).toBeGreaterThan(0.95);
  expect(caught / caughtRuns.length).toBeGreaterThan(0.95);
}

/**
 * Tasks whose outputs depend on the platform, so a test written in Pyodide (32-bit WebAssembly) cannot
 * pass on a 64-bit CPython: MBPP 596 returns sys.getsizeof of a tuple.
 */
const PLATFORM_DEPENDENT = ['mbpp/596'];

describe('oracle tests on benchmark reference solutions', () => {
  it(
    'HumanEval: every test written passes natively, and most tasks catch a wrong program',
    { timeout: 600_000 },
    () => {
      checkSuite(humanEvalTasks(), 'HumanEval');
    },
  );

  it('MBPP: every test written passes natively, and most tasks catch a wrong program', { timeout: 600_000 }, () => {
    checkSuite(mbppTasks(), 'MBPP');
  });
});

describe('mutation of benchmark inputs', () => {
  it(
    'HumanEval: 20+ new argument sets for most tasks; the reference solution mostly runs them, and their tests pass natively',
    { timeout: 600_000 },
    () => {
      const tasks = humanEvalTasks().filter((t) => t.cases.length > 0);
      const tally: Tally = {};
      const suites: NativeSuite[] = [];
      let enough = 0;
      for (const task of tasks) {
        const job = { cases: task.cases, program: task.program, entryPoint: task.entryPoint, count: 30, seed: 0 };
        const made = toMutateResult(python.runner.mutateCases(job), 60_000);
        if (made.kind !== 'mutated') throw new Error(`${task.id}: ${JSON.stringify(made)}`);
        if (made.cases.length >= 20) enough += 1;
        // A batch that runs past 3 s (an input too big for the reference solution) is counted, not split.
        const { tests, helper } = oracleTests({ ...task, cases: made.cases }, tally, 3_000);
        suites.push({ program: task.program, helper, tests });
      }
      const runs = runNatively(suites, 60);
      const failures = runs.flatMap((run, i) =>
        run.tests.flatMap((e, t) => (e ? [`${suites[i]!.tests[t]} -> ${e}`] : [])),
      );
      const cases = ['ok', 'exception', 'invalid', 'memory'].reduce((n, kind) => n + (tally[kind] ?? 0), 0);
      const tests = suites.reduce((n, suite) => n + suite.tests.length, 0);
      console.info(
        `HumanEval mutation: ${enough} of ${tasks.length} tasks got 20+ of 30 asked; outcomes ${JSON.stringify(tally)}; ` +
          `${tests - failures.length} of ${tests} tests pass natively`,
      );
      expect(enough / tasks.length).toBeGreaterThan(0.9);
      expect((tally['ok'] ?? 0) / cases).toBeGreaterThan(0.8);
      expect(failures).toEqual([]);
    },
  );
});
