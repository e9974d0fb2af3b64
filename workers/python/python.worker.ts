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

/** Files Pyodide fetches while loading; checked first so a broken deployment gets a message that names them. */
const RUNTIME_FILES = ['pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip'];

let runner: Runner | null = null;

function ready(): Runner {
  if (!runner) throw new Error('python worker used before init()');
  return runner;
}

async function fetchOk(url: string, method: 'GET' | 'HEAD'): Promise<Response> {
  const response = await fetch(url, { method }).catch((error: unknown) => {
    throw new Error(`Python's runtime file ${url} could not be fetched (${String(error)})`);
  });
  if (!response.ok) throw new Error(`Python's runtime file ${url} is missing from this site (HTTP ${response.status})`);
  return response;
}

async function load({ indexURL, interruptBuffer }: WorkerInit): Promise<Runner> {
  const [lock] = await Promise.all([
    fetchOk(new URL('pyodide-lock.json', indexURL).href, 'GET').then((r) => r.text()),
    ...RUNTIME_FILES.map((file) => fetchOk(new URL(file, indexURL).href, 'HEAD')),
  ]);
  // stdin at EOF: code under test that calls input() gets EOFError, not a blocking prompt().
  const py = await loadPyodide({
    indexURL,
    lockFileContents: lock,
    env: { ...PYTHON_ENV },
    stdin: () => null,
    stdout: () => {},
    stderr: () => {},
  });
  if (interruptBuffer) py.setInterruptBuffer(new Uint8Array(interruptBuffer));
  return installHarness(py);
}

const api = {
  async init(options: WorkerInit): Promise<void> {
    // Pyodide's loader can fail in a promise nobody awaits; without this, init() would never settle.
    const unhandled = new Promise<never>((_, reject) =>
      self.addEventListener('unhandledrejection', (event) => reject(new Error(String(event.reason))), { once: true }),
    );
    runner = await Promise.race([load(options), unhandled]);
  },
  extract: (request: ExtractRequest): Settled => ready().extract(request),
  runDoctest: (job: DoctestJob): Settled => ready().runDoctest(job),
  runTests: (job: TestsJob): Settled => ready().runTests(job),
};

export type PythonWorkerApi = typeof api;

Comlink.expose(api);
