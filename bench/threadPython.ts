/**
 * A PythonPort over a pool of Node worker threads, each with its own Pyodide and the real harness
 * (bench/pythonThread.worker.ts): Python runs beside the pipeline, as the browser's pool of workers does,
 * instead of blocking the thread the pipeline and the engine's clock run on (test/fakes/inProcessPython.ts).
 * Outcomes are mapped exactly as the pool maps them (adapters/python/settle.ts). A call waits for a free
 * thread; every call's wait and run is recorded for the benchmark's timeline.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  toCallResult,
  toCasesResult,
  toEntryInfo,
  toExtractReply,
  toMutantRuns,
  toMutants,
  toMutateResult,
  toRunOutcome,
  toRuntime,
} from '../src/adapters/python/settle.ts';
import type { PythonPort } from '../src/core/ports.ts';
import { toPythonVersion } from '../src/adapters/python/settle.ts';
import type { CasesJob, CasesResult, MutateJob, MutateResult } from '../src/domain/cases.ts';
import type { EntryInfo, Mutant, MutantRuns, MutantsJob } from '../src/domain/pipeline.ts';
import type { ExtractReply, ExtractRequest } from '../src/domain/extract.ts';
import type { CallJob, CallResult } from '../src/domain/run.ts';
import type { DoctestJob, RunOutcome, TestsJob } from '../src/domain/verify.ts';
import type { Runner, Settled } from '../workers/python/runner.ts';
import type { ThreadCall, ThreadReply } from './pythonThread.worker.ts';
import { toNormaliseReply } from '../src/adapters/python/settle.ts';
import type { NormaliseJob, NormaliseReply } from '../src/domain/dataset.ts';

/** Limits of calls the port's interface gives none (the pool's own defaults are of this order). */
const EXTRACT_LIMIT_MS = 60_000;
const MUTATE_LIMIT_MS = 60_000;
const DESCRIBE_LIMIT_MS = 10_000;

/**
 * Plain CommonJS: an eval'd worker is not transformed; it loads the worker module through Vite. An eval'd
 * script has \`module\` and \`__dirname\` as globals, from which pyodide.mjs concludes it was loaded as
 * CommonJS and looks for its files in the working directory: they go before it loads.
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
for (const name of ['module', 'exports', '__dirname', '__filename', 'require']) delete globalThis[name];
import(pathToFileURL(workerData.vite).href)
  .then(({ runnerImport }) => runnerImport(workerData.entry, { configFile: false, logLevel: 'error', root: workerData.root }))
  .then(({ module }) => module.serve(workerData.hashSeed));
`;

/** One call: when it was asked for, when a thread took it, when its reply came back (performance.now()). */
export type PythonCall = {
  method: keyof Runner;
  entryPoint: string | null;
  /** How many cases a runCases call carried (null for other calls). */
  cases: number | null;
  limitMs: number;
  /** The call ran into its limit (interrupted). */
  interrupted: boolean;
  asked: number;
  started: number;
  ended: number;
};

type Thread = { worker: Worker; pending: Map<number, (settled: Settled) => void> };

/**
 * Which waiting call a free thread takes. `fifo`: the first asked, as the app's pool does
 * (adapters/python/pool.ts). `short-first`: any call before a function's mutant pass (`mutants`,
 * `runMutants`, seconds each), so that a function one quick call away from its next LLM request is not
 * stuck behind another's mutants: the benchmark's experiment with the pool's order.
 */
export type CallOrder = 'fifo' | 'short-first';
const LONG: readonly (keyof Runner)[] = ['mutants', 'runMutants'];
type Queued = { call: Omit<ThreadCall, 'id'>; asked: number; resolve: (settled: Settled) => void };

export class ThreadPython implements PythonPort {
  readonly unavailable: string | null = null;
  readonly calls: PythonCall[] = [];
  #idle: Thread[] = [];
  #threads: Thread[] = [];
  #queue: Queued[] = [];
  #nextId = 0;

  private constructor(
    threads: Thread[],
    private readonly order: CallOrder,
  ) {
    this.#threads = threads;
    this.#idle = [...threads];
  }

  get size(): number {
    return this.#threads.length;
  }

  /** `size` threads whose interpreters have PYTHONHASHSEED `hashSeed`, once all have started. */
  static async start(size: number, hashSeed: number, order: CallOrder = 'fifo'): Promise<ThreadPython> {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const workerData = {
      root,
      vite: createRequire(`${root}package.json`).resolve('vite'),
      entry: fileURLToPath(new URL('./pythonThread.worker.ts', import.meta.url)),
      hashSeed,
    };
    const threads = await Promise.all(
      Array.from({ length: size }, async () => {
        const worker = new Worker(BOOT, { eval: true, workerData });
        const thread: Thread = { worker, pending: new Map() };
        await new Promise<void>((resolve, reject) => {
          worker.once('error', reject);
          worker.once('message', () => resolve());
        });
        worker.on('message', ({ id, settled }: ThreadReply) => {
          const done = thread.pending.get(id);
          thread.pending.delete(id);
          done?.(settled);
        });
        worker.on('error', (error) => {
          for (const done of thread.pending.values()) done({ kind: 'fault', detail: String(error), fatal: true });
          thread.pending.clear();
        });
        return thread;
      }),
    );
    return new ThreadPython(threads, order);
  }

  async extract(request: ExtractRequest, signal?: AbortSignal): Promise<ExtractReply> {
    return toExtractReply(await this.#call('extract', request, EXTRACT_LIMIT_MS, signal));
  }

  async runDoctest(job: DoctestJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome> {
    return toRunOutcome(await this.#call('runDoctest', job, limitMs, signal), limitMs);
  }

  async runTests(job: TestsJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome> {
    return toRunOutcome(await this.#call('runTests', job, limitMs, signal), limitMs);
  }

  async runCall(job: CallJob, limitMs: number, signal?: AbortSignal): Promise<CallResult> {
    return toCallResult(await this.#call('runCall', job, limitMs, signal), limitMs);
  }

  async runCases(job: CasesJob, limitMs: number, signal?: AbortSignal): Promise<CasesResult> {
    return toCasesResult(await this.#call('runCases', job, limitMs, signal), limitMs, job.cases.length);
  }

  async mutateCases(job: MutateJob, signal?: AbortSignal): Promise<MutateResult> {
    return toMutateResult(await this.#call('mutateCases', job, MUTATE_LIMIT_MS, signal), MUTATE_LIMIT_MS);
  }

  async describeEntry(program: string, entryPoint: string, signal?: AbortSignal): Promise<EntryInfo> {
    return toEntryInfo(await this.#call('describeEntry', { program, entryPoint }, DESCRIBE_LIMIT_MS, signal));
  }

  async pythonVersion(sources: readonly string[], signal?: AbortSignal): Promise<string | null> {
    return toPythonVersion(await this.#call('pythonVersion', { sources: [...sources] }, DESCRIBE_LIMIT_MS, signal));
  }

  async normalise(job: NormaliseJob, signal?: AbortSignal): Promise<NormaliseReply> {
    return toNormaliseReply(await this.#call('normalise', job, EXTRACT_LIMIT_MS, signal), job.linenos.length);
  }

  async mutants(program: string, entryPoint: string, limit: number, signal?: AbortSignal): Promise<Mutant[]> {
    return toMutants(await this.#call('mutants', { program, entryPoint, limit }, MUTATE_LIMIT_MS, signal));
  }

  async runMutants(job: MutantsJob, limitMs: number, signal?: AbortSignal): Promise<MutantRuns> {
    return toMutantRuns(await this.#call('runMutants', job, limitMs, signal), limitMs, job);
  }

  async runtime(signal?: AbortSignal): Promise<string> {
    return toRuntime(await this.#call('runtime', {}, DESCRIBE_LIMIT_MS, signal));
  }

  retry(): void {}

  dispose(): void {
    for (const { worker } of this.#threads) void worker.terminate();
  }

  #call(method: keyof Runner, arg: unknown, limitMs: number, signal?: AbortSignal): Promise<Settled> {
    signal?.throwIfAborted();
    return new Promise((resolve) => {
      this.#queue.push({ call: { method, arg, limitMs }, asked: performance.now(), resolve });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const thread = this.#idle.shift()!;
      const short = this.order === 'short-first' ? this.#queue.findIndex((q) => !LONG.includes(q.call.method)) : -1;
      const { call, asked, resolve } = this.#queue.splice(Math.max(0, short), 1)[0]!;
      const id = this.#nextId++;
      const started = performance.now();
      thread.pending.set(id, (settled) => {
        const { entryPoint, cases } = call.arg as { entryPoint?: unknown; cases?: unknown };
        this.calls.push({
          method: call.method,
          entryPoint: typeof entryPoint === 'string' ? entryPoint : null,
          cases: call.method === 'runCases' && Array.isArray(cases) ? cases.length : null,
          limitMs: call.limitMs,
          interrupted: settled.kind === 'interrupted',
          asked,
          started,
          ended: performance.now(),
        });
        this.#idle.push(thread);
        this.#dispatch();
        resolve(settled);
      });
      thread.worker.postMessage({ id, ...call } satisfies ThreadCall);
    }
  }
}
