/**
 * Thin worker entry: load Pyodide from our own files, install the harness, expose the runner over Comlink.
 * Everything that matters lives in runner.ts (transport-free, tested in Node).
 */
import * as Comlink from 'comlink';
import { loadPyodide } from 'pyodide';
import type { ExtractRequest } from '../../src/domain/extract.ts';
import type { DoctestJob, TestsJob } from '../../src/domain/verify.ts';
import { installHarness, PYTHON_ENV, type Runner, type Settled } from './runner.ts';

export type WorkerInit = {
  /** Absolute URL of the folder holding pyodide.asm.wasm, python_stdlib.zip, ... (copied by the build). */
  indexURL: string;
  /** Shared with the pool when the page is cross-origin isolated: writing 2 raises KeyboardInterrupt. */
  interruptBuffer: SharedArrayBuffer | null;
};

let runner: Runner | null = null;

function ready(): Runner {
  if (!runner) throw new Error('python worker used before init()');
  return runner;
}

const api = {
  async init({ indexURL, interruptBuffer }: WorkerInit): Promise<void> {
    // stdin at EOF: code under test that calls input() gets EOFError, not a blocking prompt().
    const py = await loadPyodide({ indexURL, env: { ...PYTHON_ENV }, stdin: () => null, stdout: () => {}, stderr: () => {} });
    if (interruptBuffer) py.setInterruptBuffer(new Uint8Array(interruptBuffer));
    runner = installHarness(py);
  },
  extract: (request: ExtractRequest): Settled => ready().extract(request),
  runDoctest: (job: DoctestJob): Settled => ready().runDoctest(job),
  runTests: (job: TestsJob): Settled => ready().runTests(job),
};

export type PythonWorkerApi = typeof api;

Comlink.expose(api);
