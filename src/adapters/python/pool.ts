/**
 * A bounded pool of Python workers behind the PythonPort. Invariants:
 * - at most `size` workers, started lazily, stopped after IDLE_STOP_MS without work;
 * - every call settles; replies are validated here, at the boundary, and a reply that does not fit is a
 *   `crashed` outcome (the worker ran untrusted code that may have forged it);
 * - a worker that dies or cannot start is replaced, but MAX_FAILURES_IN_A_ROW failures without one good
 *   call in between mean something is wrong with the environment (missing Pyodide files, no memory):
 *   the pool then fails every waiting and later call with that error instead of respawning in a loop.
 */
import type { PythonPort } from '../../core/ports.ts';
import type { CasesJob, CasesResult, MutateJob, MutateResult } from '../../domain/cases.ts';
import type { ExtractReply, ExtractRequest } from '../../domain/extract.ts';
import type { CallJob, CallResult } from '../../domain/run.ts';
import type { DoctestJob, RunOutcome, TestsJob } from '../../domain/verify.ts';
import { describeThrown } from './envelope.ts';
import type { EntryInfo, Mutant, MutantRuns, MutantsJob } from '../../domain/pipeline.ts';
import {
  toCallResult,
  toEntryInfo,
  toMutantRuns,
  toMutants,
  toExtractReply,
  toRunOutcome,
  toRuntime,
} from './settle.ts';
import { toCasesResult, toMutateResult } from './settle.ts';
import { toPythonVersion } from './settle.ts';
import { toNormaliseReply } from './settle.ts';
import type { NormaliseJob, NormaliseReply } from '../../domain/dataset.ts';
import { Slot, type CallKind, type SlotSettled, type SpawnWorker } from './slot.ts';

/** Extraction is parsing plus analysis: a 1 MiB file takes ~2 s in Pyodide; this only stops pathologies. */
export const EXTRACT_LIMIT_MS = 60_000;
/** Mutation runs no user code and is bounded (1,000 sets of small literals): this only stops pathologies. */
export const MUTATE_LIMIT_MS = 60_000;
/** Normalising is parsing and tokenizing one file (runs no user code): like extraction, this only stops pathologies. */
const NORMALISE_LIMIT_MS = 60_000;
/** Asking Python its version runs no user code; this only stops a worker that is not answering at all. */
const RUNTIME_LIMIT_MS = 30_000;
/** Workers hold ~100 MB each; give the memory back when the user is done. */
const IDLE_STOP_MS = 60_000;
/** Five workers in a row that could not start or died mid-call: stop trying (the storm cap). */
const MAX_FAILURES_IN_A_ROW = 5;

type Task = {
  kind: CallKind;
  payload: unknown;
  limitMs: number;
  signal: AbortSignal | undefined;
  resolve(settled: SlotSettled): void;
  reject(error: unknown): void;
};

export class PythonPool implements PythonPort {
  readonly size: number;
  #spawn: SpawnWorker;
  #queue: Task[] = [];
  #idle: { slot: Slot; timer: ReturnType<typeof setTimeout> }[] = [];
  #live = 0;
  #failuresInARow = 0;
  #broken: string | null = null;

  constructor(spawn: SpawnWorker, size: number) {
    this.#spawn = spawn;
    this.size = Math.max(1, size);
  }

  async extract(request: ExtractRequest, signal?: AbortSignal): Promise<ExtractReply> {
    return toExtractReply(await this.#submit('extract', request, EXTRACT_LIMIT_MS, signal));
  }

  async runDoctest(job: DoctestJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome> {
    return toRunOutcome(await this.#submit('runDoctest', job, limitMs, signal), limitMs);
  }

  async runTests(job: TestsJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome> {
    return toRunOutcome(await this.#submit('runTests', job, limitMs, signal), limitMs);
  }

  async runCall(job: CallJob, limitMs: number, signal?: AbortSignal): Promise<CallResult> {
    return toCallResult(await this.#submit('runCall', job, limitMs, signal), limitMs);
  }

  async describeEntry(program: string, entryPoint: string, signal?: AbortSignal): Promise<EntryInfo> {
    return toEntryInfo(await this.#submit('describeEntry', { program, entryPoint }, RUNTIME_LIMIT_MS, signal));
  }

  async pythonVersion(sources: readonly string[], signal?: AbortSignal): Promise<string | null> {
    return toPythonVersion(await this.#submit('pythonVersion', { sources }, RUNTIME_LIMIT_MS, signal));
  }

  async normalise(job: NormaliseJob, signal?: AbortSignal): Promise<NormaliseReply> {
    return toNormaliseReply(await this.#submit('normalise', job, NORMALISE_LIMIT_MS, signal), job.linenos.length);
  }

  async mutants(program: string, entryPoint: string, limit: number, signal?: AbortSignal): Promise<Mutant[]> {
    return toMutants(await this.#submit('mutants', { program, entryPoint, limit }, RUNTIME_LIMIT_MS, signal));
  }

  async runMutants(job: MutantsJob, limitMs: number, signal?: AbortSignal): Promise<MutantRuns> {
    return toMutantRuns(await this.#submit('runMutants', job, limitMs, signal), limitMs, job);
  }

  async runtime(signal?: AbortSignal): Promise<string> {
    return toRuntime(await this.#submit('runtime', {}, RUNTIME_LIMIT_MS, signal));
  }

  async runCases(job: CasesJob, limitMs: number, signal?: AbortSignal): Promise<CasesResult> {
    return toCasesResult(await this.#submit('runCases', job, limitMs, signal), limitMs, job.cases.length);
  }

  async mutateCases(job: MutateJob, signal?: AbortSignal): Promise<MutateResult> {
    return toMutateResult(await this.#submit('mutateCases', job, MUTATE_LIMIT_MS, signal), MUTATE_LIMIT_MS);
  }

  get unavailable(): string | null {
    return this.#broken;
  }

  retry(): void {
    this.#broken = null;
    this.#failuresInARow = 0;
  }

  dispose(): void {
    for (const { slot, timer } of this.#idle) {
      clearTimeout(timer);
      slot.stop();
    }
    this.#idle = [];
    for (const task of this.#queue.splice(0)) task.reject(new DOMException('Python pool disposed', 'AbortError'));
  }

  #submit(kind: CallKind, payload: unknown, limitMs: number, signal?: AbortSignal): Promise<SlotSettled> {
    if (signal?.aborted) return Promise.reject(abortError());
    if (this.#broken) return Promise.resolve({ kind: 'crashed', detail: this.#broken });
    return new Promise((resolve, reject) => {
      const task: Task = { kind, payload, limitMs, signal, resolve, reject };
      signal?.addEventListener('abort', () => this.#dequeue(task), { once: true });
      this.#queue.push(task);
      this.#pump();
    });
  }

  #dequeue(task: Task): void {
    const index = this.#queue.indexOf(task);
    if (index >= 0) {
      this.#queue.splice(index, 1);
      task.reject(abortError());
    }
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const idle = this.#idle.pop();
      if (idle && !idle.slot.alive) {
        clearTimeout(idle.timer);
        this.#live -= 1;
      } else if (idle) {
        clearTimeout(idle.timer);
        this.#execute(idle.slot, this.#queue.shift()!);
      } else if (this.#live < this.size) {
        this.#startSlot();
        return; // the new slot pumps when it is ready
      } else {
        return;
      }
    }
  }

  #startSlot(): void {
    this.#live += 1;
    Slot.start(this.#spawn).then(
      (slot) => {
        this.#release(slot);
        this.#pump();
      },
      (error: unknown) => {
        this.#live -= 1;
        this.#failed(`Python could not start: ${describeThrown(error)}`);
      },
    );
  }

  #execute(slot: Slot, task: Task): void {
    const onAbort = () => slot.stop();
    task.signal?.addEventListener('abort', onAbort, { once: true });
    const call = slot.call(task.kind, task.payload, task.limitMs).catch((error: unknown): SlotSettled => ({
      kind: 'crashed',
      detail: `the call failed: ${describeThrown(error)}`,
    }));
    void call.then((settled) => {
      task.signal?.removeEventListener('abort', onAbort);
      if (task.signal?.aborted) task.reject(abortError());
      else task.resolve(settled);
      // Only deaths the pool saw itself count towards the storm cap: a worker's own claims (a fatal fault,
      // a stack overflow) may be forged by the code it ran, and cost that worker, not the pool.
      if (settled.kind === 'crashed') this.#failed(`a Python worker died: ${settled.detail}`);
      else if (settled.kind === 'reply') this.#failuresInARow = 0;
      if (slot.alive) this.#release(slot);
      else this.#live -= 1;
      this.#pump();
    });
  }

  #release(slot: Slot): void {
    const timer = setTimeout(() => this.#retire(slot, true), IDLE_STOP_MS);
    this.#idle.push({ slot, timer });
    // A worker can die while idle (code it ran left a timer that throws): drop it, never hand it a call.
    void slot.died.then(() => this.#retire(slot, false));
  }

  #retire(slot: Slot, stop: boolean): void {
    const entry = this.#idle.find((e) => e.slot === slot);
    if (!entry) return; // busy or already gone: whoever holds it accounts for it
    clearTimeout(entry.timer);
    this.#idle = this.#idle.filter((e) => e !== entry);
    this.#live -= 1;
    if (stop) slot.stop();
  }

  #failed(detail: string): void {
    this.#failuresInARow += 1;
    if (this.#failuresInARow < MAX_FAILURES_IN_A_ROW) {
      this.#pump();
      return;
    }
    this.#broken = `${detail} (${this.#failuresInARow} failures in a row; stopped retrying)`;
    for (const task of this.#queue.splice(0)) task.resolve({ kind: 'crashed', detail: this.#broken });
  }
}

function abortError(): DOMException {
  return new DOMException('Cancelled', 'AbortError');
}
