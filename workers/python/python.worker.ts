/**
 * The Python worker: a CLASSIC script (the sandboxed iframe can only start classic blob workers), built as
 * one self-contained IIFE by workers/pythonWorkerBundle.ts. It never fetches anything: the page hands it
 * Pyodide's files as bytes (through the iframe supervisor) and a MessagePort on which it serves Comlink.
 * Everything that matters lives in runner.ts (transport-free, tested in Node).
 */
import * as Comlink from 'comlink';
import { loadPyodide } from 'pyodide';
import type { ExtractRequest } from '../../src/domain/extract.ts';
import type { CasesJob, MutateJob } from '../../src/domain/cases.ts';
import type { CallJob } from '../../src/domain/run.ts';
import type { MutantsJob } from '../../src/domain/pipeline.ts';
import type { DoctestJob, TestsJob } from '../../src/domain/verify.ts';
import type { NormaliseJob } from '../../src/domain/dataset.ts';
import { installHarness, PYTHON_ENV, type Runner, type Settled } from './runner.ts';
import type { WorkerStart } from './protocol.ts';

/** Pyodide resolves its files against this URL; our fetch stand-in answers for it, nothing else does. */
const INDEX_URL = 'https://pyodide.invalid/';

async function load({ runtime, hashSeed, interrupt }: WorkerStart): Promise<Runner> {
  const moduleUrl = URL.createObjectURL(new Blob([runtime.asm], { type: 'text/javascript' }));
  const { default: createPyodideModule } = (await import(/* @vite-ignore */ moduleUrl)) as {
    default: NonNullable<Parameters<typeof loadPyodide>[0]>['createPyodideModule'];
  };
  URL.revokeObjectURL(moduleUrl);
  // Pyodide fetches its wasm and standard library while loading: answer from memory. The sandbox's CSP
  // (connect-src 'none') would refuse a real request anyway.
  const files: Record<string, [ArrayBuffer, string]> = {
    'pyodide.asm.wasm': [runtime.wasm, 'application/wasm'],
    'python_stdlib.zip': [runtime.stdlib, 'application/zip'],
  };
  const realFetch = self.fetch;
  self.fetch = async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const file = url.startsWith(INDEX_URL) ? files[url.slice(INDEX_URL.length)] : undefined;
    if (!file) throw new TypeError(`no network in the Python sandbox (${url})`);
    return new Response(file[0].slice(0), { headers: { 'content-type': file[1] } });
  };
  try {
    // stdin at EOF: code under test that calls input() gets EOFError, not a blocking prompt().
    const py = await loadPyodide({
      indexURL: INDEX_URL,
      lockFileContents: runtime.lock,
      createPyodideModule,
      env: { ...PYTHON_ENV, PYTHONHASHSEED: String(hashSeed) },
      stdin: () => null,
      stdout: () => {},
      stderr: () => {},
    });
    if (interrupt) py.setInterruptBuffer(new Uint8Array(interrupt));
    return installHarness(py);
  } finally {
    self.fetch = realFetch;
  }
}

function serve(start: WorkerStart): void {
  let runner: Runner | null = null;
  const ready = (): Runner => {
    if (!runner) throw new Error('python worker used before init()');
    return runner;
  };
  const loading = load(start).then((loaded) => {
    runner = loaded;
  });
  const api = {
    init: (): Promise<void> => loading,
    extract: (request: ExtractRequest): Settled => ready().extract(request),
    runDoctest: (job: DoctestJob): Settled => ready().runDoctest(job),
    runTests: (job: TestsJob): Settled => ready().runTests(job),
    runCall: (job: CallJob): Settled => ready().runCall(job),
    runCases: (job: CasesJob): Settled => ready().runCases(job),
    mutateCases: (job: MutateJob): Settled => ready().mutateCases(job),
    runtime: (): Settled => ready().runtime(),
    describeEntry: (job: { program: string; entryPoint: string }): Settled => ready().describeEntry(job),
    pythonVersion: (job: { sources: string[] }): Settled => ready().pythonVersion(job),
    normalise: (job: NormaliseJob): Settled => ready().normalise(job),
    mutants: (job: { program: string; entryPoint: string; limit: number }): Settled => ready().mutants(job),
    runMutants: (job: MutantsJob): Settled => ready().runMutants(job),
  };
  Comlink.expose(api, start.port);
}

export type PythonWorkerApi = {
  init(): Promise<void>;
  extract(request: ExtractRequest): Settled;
  runDoctest(job: DoctestJob): Settled;
  runTests(job: TestsJob): Settled;
  runCall(job: CallJob): Settled;
  runCases(job: CasesJob): Settled;
  mutateCases(job: MutateJob): Settled;
  runtime(): Settled;
  describeEntry(job: { program: string; entryPoint: string }): Settled;
  pythonVersion(job: { sources: string[] }): Settled;
  normalise(job: NormaliseJob): Settled;
  mutants(job: { program: string; entryPoint: string; limit: number }): Settled;
  runMutants(job: MutantsJob): Settled;
};

// The supervisor's first (and only) message starts the worker; anything later is ignored.
self.addEventListener('message', (event: MessageEvent<WorkerStart>) => serve(event.data), { once: true });
