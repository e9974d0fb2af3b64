/**
 * The Python runner, free of any transport: it installs the harness (real .py files, see harness/) into a
 * Pyodide instance and calls it. The worker entry (python.worker.ts) exposes it over Comlink; Node tests call
 * it directly through the pyodide npm package. Replies are returned unvalidated (`Settled`): the caller on
 * the other side of the boundary validates them (parseExtractReply, parseRunOutcome in core).
 */
import type { PyodideAPI } from 'pyodide';
import type { ExtractRequest } from '../../src/domain/extract.ts';
import type { DoctestJob, TestsJob } from '../../src/domain/verify.ts';
import api from './harness/semiverse_api.py?raw';
import deps from './harness/semiverse_deps.py?raw';
import doctest from './harness/semiverse_doctest.py?raw';
import extract from './harness/semiverse_extract.py?raw';
import sandbox from './harness/semiverse_sandbox.py?raw';

const HARNESS_DIR = '/semiverse';
const HARNESS: Record<string, string> = {
  'semiverse_api.py': api,
  'semiverse_deps.py': deps,
  'semiverse_doctest.py': doctest,
  'semiverse_extract.py': extract,
  'semiverse_sandbox.py': sandbox,
};

/** Environment every interpreter starts with: repeatable hash() and set order (DESIGN, determinism). */
export const PYTHON_ENV = { PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1' };

/**
 * What one call gave. `interrupted`: the KeyboardInterrupt the pool raises through the interrupt buffer to
 * enforce a time limit. `fault`: the harness itself failed; `fatal` when the interpreter is no longer usable
 * (a wasm trap, a JS stack overflow) and the worker must be replaced.
 */
export type Settled =
  { kind: 'reply'; value: unknown } | { kind: 'interrupted' } | { kind: 'fault'; detail: string; fatal: boolean };

export type Runner = {
  extract(request: ExtractRequest): Settled;
  runDoctest(job: DoctestJob): Settled;
  runTests(job: TestsJob): Settled;
};

type PyCallable = ((request: string) => string) & { destroy?: () => void };

export function installHarness(py: PyodideAPI): Runner {
  py.FS.mkdirTree(HARNESS_DIR);
  for (const [name, text] of Object.entries(HARNESS)) py.FS.writeFile(`${HARNESS_DIR}/${name}`, text);
  py.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(HARNESS_DIR)})\nimport semiverse_api`);
  const module = py.pyimport('semiverse_api') as unknown as Record<string, PyCallable>;
  const call = (name: string, request: unknown): Settled => {
    const fn = module[name];
    if (!fn) return { kind: 'fault', detail: `harness has no ${name}()`, fatal: true };
    try {
      return { kind: 'reply', value: JSON.parse(fn(JSON.stringify(request))) as unknown };
    } catch (error) {
      return settleError(py, error);
    }
  };
  return {
    extract: (request) => call('extract', request),
    runDoctest: (job) => call('run_doctest', job),
    runTests: (job) => call('run_tests', job),
  };
}

function settleError(py: PyodideAPI, error: unknown): Settled {
  if (error instanceof py.ffi.PythonError) {
    if (error.type === 'KeyboardInterrupt') return { kind: 'interrupted' };
    // A Python exception escaping the harness is a harness bug, but the interpreter is still sound.
    return { kind: 'fault', detail: error.message.slice(-4000), fatal: false };
  }
  // Anything else (RangeError from a JS stack overflow, a wasm trap, "Pyodide already fatally failed")
  // leaves the interpreter in an unknown state.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: 'fault', detail: detail.slice(-4000), fatal: true };
}
