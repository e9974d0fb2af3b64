/**
 * Outcomes of running code. Failures of executed code are values, never exceptions (STYLE habit 4):
 * the Python harness produces `passed | failed | error | not_runnable`, the worker pool adds `timeout`
 * and `crashed` (the worker died or its reply was unusable).
 */

export type ExceptionInfo = { type: string; message: string; traceback: string };

export type DoctestJob = {
  /** random.seed before the run (default 0). */
  seed?: number;
  /** Composed standalone program (see composeProgram). */
  program: string;
  /** Where the doctests come from: the function's docstring, exactly as extracted. */
  docstring: string;
  name: string;
  entryPoint: string;
};

/** Assert-style tests run after a program (MBPP's test_list, HumanEval's check), e.g. for conformance. */
export type TestsJob = { program: string; tests: string[]; seed?: number };

export type FailedExample = { source: string; want: string; got: string; lineno: number };

export type RunOutcome =
  | {
      status: 'passed';
      examples: number;
      /** Assert statements, in order, that pass when run after the program with native CPython. */
      tests: string[];
      /** True when every example became a plain assert; false when some needed the doctest module itself. */
      plainAsserts: boolean;
    }
  | { status: 'failed'; example: FailedExample }
  | { status: 'error'; phase: 'setup' | 'example' | 'tests'; exception: ExceptionInfo; example?: string }
  | { status: 'not_runnable'; module: string; detail: string }
  /** The docstring holds examples but doctest ran none of them (all marked +SKIP). */
  | { status: 'no_doctests'; detail: string }
  /** The code ran out of memory (MemoryError, e.g. a huge allocation). */
  | { status: 'memory'; detail: string }
  | { status: 'timeout'; limitMs: number }
  | { status: 'crashed'; detail: string }
  /**
   * Passed once, but not when its tests ran again under another hash seed and random seed (set order,
   * random numbers): both runs, as they came out. A run is null when it was not recorded (a release before
   * schema 2 kept only `detail`).
   */
  | { status: 'nondeterministic'; first: SeededRun | null; second: SeededRun | null; detail: string };

/** One run of a nondeterminism check: the seeds it ran under and its outcome. */
export type SeededRun = { seed: number; hashSeed: number; outcome: RunOutcome };

export type RunStatus = RunOutcome['status'];

/** Final state of a function in natural mode; `pending` until it has been decided. */
export type FunctionStatus = RunStatus | 'pending';

export const FUNCTION_STATUSES: readonly FunctionStatus[] = [
  'passed',
  'failed',
  'error',
  'timeout',
  'crashed',
  'memory',
  'nondeterministic',
  'not_runnable',
  'no_doctests',
  'pending',
];

export const STATUS_LABELS: Record<FunctionStatus, string> = {
  passed: 'passed',
  failed: 'failed',
  error: 'error',
  timeout: 'timed out',
  crashed: 'crashed',
  memory: 'out of memory',
  nondeterministic: 'nondeterministic',
  not_runnable: 'not runnable',
  no_doctests: 'no doctests',
  pending: 'pending',
};
