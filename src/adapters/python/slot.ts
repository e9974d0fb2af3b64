/**
 * One Python worker's life: start, one call at a time under a deadline, stop. Invariants:
 * - every call settles, whatever the worker does (a call to a terminated worker never settles on its own,
 *   so each one races the worker's death and a timer: docs/sandbox.md, "a pending call");
 * - on a deadline, an interruptible worker (cross-origin isolated) gets KeyboardInterrupt through its
 *   shared buffer and is kept; if it does not stop within INTERRUPT_GRACE_MS (a long C call ignores interrupts), or
 *   when there is no shared buffer, it is terminated and the slot is dead;
 * - a worker whose reply says its interpreter is broken (fatal fault) is terminated too.
 */
import * as Comlink from 'comlink';
import type { PythonWorkerApi } from '../../../workers/python/python.worker.ts';
import type { Settled } from '../../../workers/python/runner.ts';
import { describeThrown, parseSettled } from './envelope.ts';

export type SpawnedWorker = {
  endpoint: Comlink.Endpoint;
  terminate(): void;
  /** Resolves with a reason when the worker dies on its own (uncaught error, failed load). */
  died: Promise<string>;
  /**
   * Present when the worker can be interrupted (cross-origin isolated): `raise` asks Python to raise
   * KeyboardInterrupt; `clear` resolves once the request is withdrawn and no earlier one can still land.
   */
  interrupt: { raise(): void; clear(): Promise<void> } | null;
};

export type SpawnWorker = () => Promise<SpawnedWorker>;

export type CallKind =
  | 'extract'
  | 'runDoctest'
  | 'runTests'
  | 'runCall'
  | 'runtime'
  | 'describeEntry'
  | 'pythonVersion'
  | 'normalise'
  | 'mutants'
  | 'runMutants'
  | 'runCases'
  | 'mutateCases';

/** What the pool hands back: the worker's own reply, or what the pool observed about the worker. */
export type SlotSettled = Settled | { kind: 'timeout'; limitMs: number } | { kind: 'crashed'; detail: string };

/** Loading Pyodide takes ~1.7 s here; a minute covers a slow disk or a busy machine, not a hung load. */
const START_TIMEOUT_MS = 60_000;
/** Interrupts are re-sent this often: measured, 3-12 % of single signals are ignored (docs/sandbox.md, "Limits"). */
const INTERRUPT_RESEND_MS = 100;
/** How long an interrupted call may take to stop before the worker is terminated. */
const INTERRUPT_GRACE_MS = 1_000;

type Race = { kind: 'settled'; settled: Settled } | { kind: 'died'; reason: string } | { kind: 'deadline' };

export class Slot {
  #worker: SpawnedWorker;
  #api: Comlink.Remote<PythonWorkerApi>;
  /** Set after an interrupt: the next call waits until no stale interrupt can reach it. */
  #dirty = false;
  #alive = true;
  #stoppedOnce = false;
  /**
   * The call in flight learns of a death or a stop through this, set per call. The worker's long-lived
   * `died` promise gets one reaction, here, not one per call: a reaction per call would stay on it for
   * the worker's whole life (measured: ~670 bytes a call).
   */
  #onLost: ((reason: string) => void) | null = null;

  private constructor(worker: SpawnedWorker) {
    this.#worker = worker;
    this.#api = Comlink.wrap<PythonWorkerApi>(worker.endpoint);
    void worker.died.then((reason) => {
      this.#alive = false;
      this.#onLost?.(reason);
    });
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Resolves when the worker dies on its own. */
  get died(): Promise<string> {
    return this.#worker.died;
  }

  /** Spawn a worker and load Python in it; rejects with a readable Error when it cannot start. */
  static async start(spawn: SpawnWorker): Promise<Slot> {
    const slot = new Slot(await spawn());
    const init = slot.#api.init();
    const raced = await race(
      init.then(() => 'ok' as const),
      slot.#worker.died,
      START_TIMEOUT_MS,
    );
    if (raced !== 'ok') {
      slot.stop();
      throw new Error(raced === null ? `Python did not start within ${START_TIMEOUT_MS / 1000} s` : raced);
    }
    return slot;
  }

  async call(kind: CallKind, payload: unknown, limitMs: number): Promise<SlotSettled> {
    if (this.#dirty && this.#worker.interrupt) await this.#worker.interrupt.clear();
    this.#dirty = false;
    // The worker's answer is untrusted down to its envelope (see envelope.ts).
    const reply = (this.#api[kind] as (p: unknown) => Promise<unknown>)(payload).then(
      (value): Race => ({ kind: 'settled', settled: parseSettled(value) }),
      (error: unknown): Race => ({
        kind: 'settled',
        settled: { kind: 'fault', detail: describeThrown(error), fatal: true },
      }),
    );
    const died = new Promise<Race>((resolve) => {
      this.#onLost = (reason) => resolve({ kind: 'died', reason });
      if (!this.#alive) resolve({ kind: 'died', reason: 'the worker was stopped' });
    });
    const timer = timeout(limitMs);
    let first = await Promise.race([reply, died, timer.fired.then((): Race => ({ kind: 'deadline' }))]);
    timer.cancel();
    if (first.kind === 'deadline') first = await this.#interruptOrStop(reply, died);
    this.#onLost = null;
    if (first.kind === 'deadline' || (first.kind === 'settled' && first.settled.kind === 'interrupted')) {
      return { kind: 'timeout', limitMs };
    }
    if (first.kind === 'died') {
      this.stop();
      return { kind: 'crashed', detail: first.reason };
    }
    if (first.settled.kind === 'fault' && first.settled.fatal) this.stop();
    return first.settled;
  }

  /** Abort the current call from outside (user cancelled): the worker cannot be trusted to stop. */
  stop(): void {
    if (this.#stoppedOnce) return;
    this.#stoppedOnce = true;
    this.#alive = false;
    this.#onLost?.('the worker was stopped');
    this.#api[Comlink.releaseProxy]();
    this.#worker.terminate();
  }

  async #interruptOrStop(reply: Promise<Race>, died: Promise<Race>): Promise<Race> {
    const interrupt = this.#worker.interrupt;
    if (interrupt) {
      this.#dirty = true;
      const resend = setInterval(() => interrupt.raise(), INTERRUPT_RESEND_MS);
      interrupt.raise();
      const grace = timeout(INTERRUPT_GRACE_MS);
      const stopped = await Promise.race([reply, died, grace.fired.then((): Race => ({ kind: 'deadline' }))]);
      clearInterval(resend);
      grace.cancel();
      if (stopped.kind === 'settled') return stopped;
    }
    this.stop();
    return { kind: 'deadline' };
  }
}

/** A timer that can be cancelled, so thousands of short calls do not leave thousands of pending timers. */
function timeout(ms: number): { fired: Promise<void>; cancel(): void } {
  let id: ReturnType<typeof setTimeout> | undefined;
  const fired = new Promise<void>((resolve) => (id = setTimeout(resolve, ms)));
  return { fired, cancel: () => clearTimeout(id) };
}

/** 'ok', the reason the worker died, or null on timeout. */
async function race(ok: Promise<'ok'>, died: Promise<string>, ms: number): Promise<'ok' | string | null> {
  const timer = timeout(ms);
  const failed = (e: unknown) => describeThrown(e);
  const result = await Promise.race([ok.catch(failed), died, timer.fired.then(() => null)]);
  timer.cancel();
  return result;
}
