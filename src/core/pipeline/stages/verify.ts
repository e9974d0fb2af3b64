/**
 * Verify: the solution runs on the oracle's cases in the sandbox, and its results are compared here, outside
 * the worker that ran LLM-written code (expected outputs never enter it). The pass rate is the round-trip
 * score of the instruction (did the instruction alone specify the behaviour?). The function's passing
 * doctests, when it has them, are extra tests the solution must pass too.
 *
 * A sample is accepted when everything passes; then the tests it will be exported with (the cases as
 * Python statements, plus the doctest asserts) are run once more on the recheck worker (another hash seed
 * and random seed) after the solution AND after the original: what is exported is exactly what passed.
 */
import type { PythonPort } from '../../ports.ts';
import { PythonUnavailableError } from '../../run/errors.ts';
import { runBatch } from '../casesRun.ts';
import { disagreement } from '../caseCompare.ts';
import { dropped, kept, need, type Stage } from '../stage.ts';

/** The least time a solution's case gets, however fast the original was (timer noise, a cold cache). */
const CASE_FLOOR_MS = 250;
/** Random seed of the second run of the exported tests (the recheck worker also has PYTHONHASHSEED 1). */
const RECHECK_SEED = 1;

export const verify: Stage = async (input, earlier, { python, recheck, settings, runtime, signal }) => {
  const { entryPoint } = need(earlier, 'select');
  const oracle = need(earlier, 'oracle');
  const solution = need(earlier, 'solve').code!;
  const limit = settings.oracle.caseLimitMs;

  const failures: { args: (typeof oracle.cases)[number]['args'] | null; expected: string; got: string }[] = [];
  // The solution gets what a slow case of the original would: slowFactor × the original's slowest case.
  const slowest = Math.max(0, ...oracle.cases.map((c) => c.ms));
  const caseBudget = { maxMs: Math.min(limit, Math.max(CASE_FLOOR_MS, settings.oracle.slowFactor * slowest)) };
  const run = await runBatch(
    python,
    { program: solution, entryPoint, seed: 0, coverage: false, tests: false, caseBudget },
    oracle.cases.map((c) => c.args),
    limit,
    signal,
  );
  let passed = 0;
  if (run.kind === 'failed') {
    failures.push({
      args: null,
      expected: 'the solution loads',
      got: `${run.exception.type}: ${run.exception.message}`,
    });
  } else {
    oracle.cases.forEach((c, i) => {
      const why = disagreement(c.expect, run.cases[i] ?? { kind: 'crashed', detail: 'no result' });
      if (why === null) passed += 1;
      else
        failures.push({
          args: c.args,
          expected: c.expect.kind === 'ok' ? 'its value' : `raises ${c.expect.type}`,
          got: why,
        });
    });
  }

  // Doctests that passed on the original: the solution must pass them too.
  const doctest = input.doctest?.outcome.status === 'passed' ? input.doctest.outcome : null;
  const doctestTests = doctest?.tests ?? [];
  let doctestsPassed = 0;
  if (doctest) {
    const outcome = await python.runTests({ program: solution, tests: doctestTests }, limit * 2, signal);
    if (python.unavailable) throw new PythonUnavailableError(python.unavailable);
    if (outcome.status === 'passed') doctestsPassed = doctest.examples;
    else failures.push({ args: null, expected: 'its doctests pass', got: outcomeText(outcome) });
  }
  const total = oracle.cases.length + (doctest?.examples ?? 0);
  const passedAll = passed + doctestsPassed;
  const tests = [
    ...(oracle.helper ? [oracle.helper] : []),
    ...oracle.cases.flatMap((c) => (c.test ? [c.test] : [])),
    ...doctestTests,
  ];
  const output = (exported: string[]) => ({
    stage: 'verify' as const,
    passed: passedAll,
    total,
    doctests: doctest?.examples ?? 0,
    failures: failures.slice(0, 20),
    tests: exported,
    runtime,
  });
  if (passedAll < total)
    return dropped('fails-cases', `The solution passed ${passedAll} of ${total} tests.`, output([]));

  for (const [program, whose] of [
    [solution, 'the solution'],
    [input.program!, 'the original'],
  ] as const) {
    const again = await recheck.runTests(
      { program, tests, seed: RECHECK_SEED },
      limit * Math.max(2, tests.length),
      signal,
    );
    if (recheck.unavailable) throw new PythonUnavailableError(recheck.unavailable);
    if (again.status !== 'passed')
      return dropped(
        'tests-fail',
        `The exported tests did not pass again after ${whose}: ${outcomeText(again)}`,
        output([]),
      );
  }
  return kept(output(tests), 0, `Passed all ${total} tests.`);
};

function outcomeText(outcome: Awaited<ReturnType<PythonPort['runTests']>>): string {
  switch (outcome.status) {
    case 'error':
      return `${outcome.exception.type}: ${outcome.exception.message}`;
    case 'failed':
      return `${outcome.example.source.trim()} gave ${outcome.example.got.trim()}`;
    case 'timeout':
      return `timed out after ${outcome.limitMs / 1000} s`;
    default:
      return outcome.status;
  }
}
