/**
 * The Python runner, free of any transport: it installs the harness (real .py files, see harness/) into a
 * Pyodide instance and calls it. The worker entry (python.worker.ts) serves it over Comlink; Node tests call
 * it directly through the pyodide npm package. Replies are returned unvalidated (`Settled`): the other side
 * of the boundary validates them (parseExtractReply, parseRunOutcome, parseCallReply in core).
 */
import type { PyodideAPI } from 'pyodide';
import type { ExtractRequest } from '../../src/domain/extract.ts';
import type { CasesJob, MutateJob } from '../../src/domain/cases.ts';
import type { CallJob } from '../../src/domain/run.ts';
import type { MutantsJob } from '../../src/domain/pipeline.ts';
import type { DoctestJob, TestsJob } from '../../src/domain/verify.ts';
import type { NormaliseJob } from '../../src/domain/dataset.ts';

/** Every module of the harness, as text, installed into the interpreter's file system. */
const HARNESS = import.meta.glob<string>('./harness/*.py', { query: '?raw', import: 'default', eager: true });
const HARNESS_DIR = '/semiverse';

/** Environment every interpreter starts with: repeatable hash() and set order (docs/sandbox.md, "Determinism"). */
export const PYTHON_ENV = { PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1' };

/**
 * What one call gave. `interrupted`: the KeyboardInterrupt the pool raises through the interrupt buffer to
 * enforce a time limit. `fault`: the harness itself failed; `fatal` when the interpreter is no longer usable
 * and the worker must be replaced, with `stack` when the cause was the JavaScript stack running out (code
 * recursing through C faster than Python's own recursion limit notices).
 */
export type Settled =
  | { kind: 'reply'; value: unknown }
  | { kind: 'interrupted' }
  | { kind: 'fault'; detail: string; fatal: boolean; stack?: boolean };

export type Runner = {
  extract(request: ExtractRequest): Settled;
  runDoctest(job: DoctestJob): Settled;
  runTests(job: TestsJob): Settled;
  runCall(job: CallJob): Settled;
  /** A program, then its entry point on many argument sets (parseCasesReply reads the reply). */
  runCases(job: CasesJob): Settled;
  /** New argument sets by type-aware mutation (parseMutateReply reads the reply). */
  mutateCases(job: MutateJob): Settled;
  /** Which Python this is: `{ python: "CPython 3.14.2", host: "Pyodide 314.0.7" }`. */
  runtime(): Settled;
  describeEntry(job: { program: string; entryPoint: string }): Settled;
  /** The oldest Python 3.8–3.14 whose grammar accepts every source (toPythonVersion reads the reply). */
  pythonVersion(job: { sources: string[] }): Settled;
  /** Per function of a file: normalised AST hash and tokens (parseNormaliseReply reads the reply). */
  normalise(job: NormaliseJob): Settled;
  mutants(job: { program: string; entryPoint: string; limit: number }): Settled;
  runMutants(job: MutantsJob): Settled;
};

type PyCallable = (request: string) => string;

export function installHarness(py: PyodideAPI): Runner {
  py.FS.mkdirTree(HARNESS_DIR);
  for (const [path, text] of Object.entries(HARNESS)) py.FS.writeFile(`${HARNESS_DIR}/${path.split('/').pop()}`, text);
  py.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(HARNESS_DIR)})\nimport semiverse_api`);
  const module = py.pyimport('semiverse_api') as unknown as Record<string, PyCallable>;
  // Taken now: after a fatal error even reading py.ffi throws.
  const { PythonError } = py.ffi;
  const call = (name: string, request: unknown): Settled => {
    const fn = module[name];
    if (!fn) return { kind: 'fault', detail: `harness has no ${name}()`, fatal: true };
    try {
      return { kind: 'reply', value: JSON.parse(fn(JSON.stringify(request))) as unknown };
    } catch (error) {
      return settleError(PythonError, error);
    }
  };
  return {
    extract: (request) => call('extract', request),
    runDoctest: (job) => call('run_doctest', job),
    runTests: (job) => call('run_tests', job),
    runCall: (job) => call('run_call', job),
    runCases: (job) => call('run_cases', job),
    mutateCases: (job) => call('mutate_cases', job),
    runtime: () => call('runtime', {}),
    describeEntry: (job) => call('describe_entry', job),
    pythonVersion: (job) => call('python_version', job),
    normalise: (job) => call('normalise_functions', job),
    mutants: (job) => call('mutants', job),
    runMutants: (job) => call('run_mutants', job),
  };
}

function settleError(PythonError: PyodideAPI['ffi']['PythonError'], error: unknown): Settled {
  if (error instanceof PythonError) {
    if (error.type === 'KeyboardInterrupt') return { kind: 'interrupted' };
    // A Python exception escaping the harness is a harness bug, but the interpreter is still sound.
    return { kind: 'fault', detail: error.message.slice(-4000), fatal: false };
  }
  // Anything else (a wasm trap, "Pyodide already fatally failed") leaves the interpreter in an unknown
  // state. A RangeError is JavaScript's stack overflow.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = error instanceof RangeError;
  return { kind: 'fault', detail: detail.slice(-4000), fatal: true, ...(stack ? { stack } : {}) };
}
