/**
 * A bounded pool of Python workers behind the PythonPort. Invariants:
 * - at most `size` workers, started lazily, stopped after IDLE_STOP_MS without work;
 * - every call settles; replies are validated here, at the boundary, and a reply that does not fit is a
 *   `crashed` outcome (the worker ran untrusted code that may have forged it);
 * - a worker that dies or cannot start is replaced, but MAX_FAILURES_IN_A_ROW failures without one good
 *   call in between mean something is wrong with the environment (missing Pyodide files, no memory):
 *   the pool then fails every waiting and later call with that error instead of respawning in a loop.
 */
import { parseExtractReply } from '../../core/extract/parseExtractReply.ts';
import type { PythonPort } from '../../core/ports.ts';
import { parseRunOutcome } from '../../core/verify/parseRunOutcome.ts';
import type { ExtractReply, ExtractRequest } from '../../domain/extract.ts';
import type { DoctestJob, RunOutcome, TestsJob } from '../../domain/verify.ts';
import { Slot, type CallKind, type SlotSettled, type SpawnWorker } from './slot.ts';

/** Extraction is parsing plus analysis: a 1 MiB file takes ~2 s in Pyodide; this only stops pathologies. */
export const EXTRACT_LIMIT_MS = 60_000;
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
    const settled = await this.#submit('extract', request, EXTRACT_LIMIT_MS, signal);
    switch (settled.kind) {
      case 'reply':
        return parseOr(settled.value, parseExtractReply, (detail) => extractFailure('Crashed', detail));
      case 'timeout':
        return extractFailure('Timeout', `extraction took longer than ${settled.limitMs / 1000} s`);
      case 'interrupted':
        return extractFailure('Timeout', 'extraction was interrupted');
      case 'crashed':
      case 'fault':
        // Usually the browser's stack running out inside CPython's parser (very deep nesting).
        return extractFailure(
          'Crashed',
          `Python stopped while reading this file and was restarted (${settled.detail})`,
        );
    }
  }

  runDoctest(job: DoctestJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome> {
    return this.#run('runDoctest', job, limitMs, signal);
  }

  runTests(job: TestsJob, limitMs: number, signal?: AbortSignal): Promise<RunOutcome> {
    return this.#run('runTests', job, limitMs, signal);
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

  async #run(kind: CallKind, job: unknown, limitMs: number, signal?: AbortSignal): Promise<RunOutcome> {
    const settled = await this.#submit(kind, job, limitMs, signal);
    switch (settled.kind) {
      case 'reply':
        return parseOr(settled.value, parseRunOutcome, (detail) => ({ status: 'crashed', detail }));
      case 'timeout':
        return { status: 'timeout', limitMs: settled.limitMs };
      case 'interrupted':
        return { status: 'timeout', limitMs };
      case 'crashed':
      case 'fault':
        return { status: 'crashed', detail: settled.detail };
    }
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
      if (idle) {
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
        this.#failed(`Python could not start: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  #execute(slot: Slot, task: Task): void {
    const onAbort = () => slot.stop();
    task.signal?.addEventListener('abort', onAbort, { once: true });
    slot.call(task.kind, task.payload, task.limitMs).then((settled) => {
      task.signal?.removeEventListener('abort', onAbort);
      if (task.signal?.aborted) task.reject(abortError());
      else task.resolve(settled);
      if (settled.kind === 'crashed' || (settled.kind === 'fault' && !slot.alive)) {
        this.#failed(`a Python worker died: ${settled.detail}`);
      } else if (settled.kind === 'reply') this.#failuresInARow = 0;
      if (slot.alive) this.#release(slot);
      else this.#live -= 1;
      this.#pump();
    });
  }

  #release(slot: Slot): void {
    const timer = setTimeout(() => {
      this.#idle = this.#idle.filter((entry) => entry.slot !== slot);
      this.#live -= 1;
      slot.stop();
    }, IDLE_STOP_MS);
    this.#idle.push({ slot, timer });
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

function extractFailure(kind: string, message: string): ExtractReply {
  return { ok: false, error: { kind, line: null, column: null, message } };
}

function parseOr<T>(value: unknown, parse: (v: unknown) => T, failed: (detail: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    return failed(`unusable reply from the Python worker: ${error instanceof Error ? error.message : String(error)}`);
  }
}
