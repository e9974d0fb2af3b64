/**
 * One function on many argument sets: the test cases of the LLM pipeline (probe proposes them, the oracle
 * runs the original code on them, verify runs a generated solution on them). Arguments are Python literal
 * texts; results come back in canonical form (domain/run.ts) so that they can be compared outside the
 * worker (core/verify/compareCanon.ts). The harness is workers/python/harness/semiverse_cases.py.
 */
import type { Canon, Captured } from './run.ts';
import type { ExceptionInfo } from './verify.ts';

/** One argument set: each argument a Python literal (`"[1, 2]"`, `"(1, 'a')"`, `"b'x'"`, `"None"`). */
export type CaseArgs = { args: string[]; kwargs?: Record<string, string> };

export type CasesJob = {
  program: string;
  /** `f`, or `Cls.method` for a static or class method (an instance method is refused: no instance). */
  entryPoint: string;
  cases: CaseArgs[];
  /** random.seed before each case (default 0); the worker's PYTHONHASHSEED is fixed per worker. */
  seed?: number;
  /** Measure the lines of the entry function each case runs. */
  coverage: boolean;
  /** Also write each ok or exception outcome as a Python test. */
  tests: boolean;
  /**
   * A time budget per case, enforced in Python (workers/python/harness/semiverse_deadline.py): at most
   * `maxMs`; with `slowFactor`, that many times the median case so far, and at least `floorMs`. A case past
   * it raised `CaseDeadline` (see DEADLINE_EXCEPTION). Without it, only the pool's limit on the batch holds.
   */
  caseBudget?: { maxMs: number; slowFactor?: number; floorMs?: number };
};

/** The exception type of a case that ran past its budget. */
export const DEADLINE_EXCEPTION = 'semiverse_deadline.CaseDeadline';

/** Why a case was not run: not a literal, does not bind to the signature, or contradicts an annotation. */
export type InvalidReason = 'literal' | 'arity' | 'type';

/** What every case that ran carries. */
export type CaseRun = {
  /** Printed output (the first 64 KiB). */
  stdout: Captured;
  ms: number;
  /** Lines of the entry function (numbered in the program) this case ran; null when not measured. */
  lines: number[] | null;
  /**
   * Statements that pass when run with CPython ≥ 3.12 after the program (and after the reply's `helper`
   * when `usesHelper`). Null when tests were not asked for, or when the outcome has no faithful test:
   * then `testless` says why (a value with no faithful Python source, an exception class with no name).
   */
  test: string | null;
  testless: string | null;
  usesHelper: boolean;
};

export type CaseOutcome =
  | { kind: 'invalid'; reason: InvalidReason; detail: string }
  | { kind: 'memory' }
  | ({
      kind: 'ok';
      value: Canon;
      /** Per positional argument: its value after the call when the call changed it, else null. */
      argsAfter: (Canon | null)[];
    } & CaseRun)
  | ({
      kind: 'exception';
      /** `call`: the function raised; `value`: its value could not be read (a broken __repr__). */
      phase: 'call' | 'value';
      /** Qualified class name, with its module unless built in or the program's (`ValueError`, `json.decoder.JSONDecodeError`). */
      type: string;
      message: string;
    } & CaseRun);

/**
 * A batch's result. `ran`: every case's outcome, in order, with the entry function's executable lines
 * (null when coverage was not asked for or cannot be measured) and the helper the tests may call
 * (non-null when one of them does; the same text every time). `failed`: the program raised, or has no
 * such entry point. `timeout` (the whole batch: one case ran past the limit) and `crashed` are the pool's.
 */
export type CasesResult =
  | { kind: 'ran'; executable: number[] | null; helper: string | null; cases: CaseOutcome[] }
  | { kind: 'failed'; phase: 'program' | 'entry'; exception: ExceptionInfo }
  | { kind: 'timeout'; limitMs: number }
  | { kind: 'crashed'; detail: string };

export type MutateJob = {
  /** The argument sets to start from (those that are not literals are skipped). */
  cases: CaseArgs[];
  /** Where constants worth reusing come from (the entry function's code); optional. */
  program?: string;
  entryPoint?: string;
  /** How many new argument sets to make, at most (capped at 1,000); fewer when inputs run out of variety. */
  count: number;
  seed: number;
};

/**
 * New argument sets, each differing from every input and every other (arguments keep their types; each
 * literal reads back with ast.literal_eval). `timeout` and `crashed` are the pool's.
 */
export type MutateResult =
  { kind: 'mutated'; cases: CaseArgs[] } | { kind: 'timeout'; limitMs: number } | { kind: 'crashed'; detail: string };
