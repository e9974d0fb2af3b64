/**
 * A first-in, first-out gate that lets at most `limit` calls run at once. Invariants:
 * - a call starts only when a slot is free and every call queued before it has started or left;
 * - a call whose signal aborts while it waits leaves the queue at once, rejecting with an AbortError, and its
 *   work never runs (a cancelled request is never sent);
 * - a slot is handed straight to the next waiter when a call ends, so a newcomer cannot jump the queue.
 * `lib/concurrency.ts` maps work over a known list; requests here arrive one by one from many callers, so
 * they need a gate rather than a loop.
 */

type Waiter = { start: () => void };

export class Gate {
  readonly limit: number;
  #running = 0;
  #waiting: Waiter[] = [];

  constructor(limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  /** Calls waiting for a slot (for tests and the UI's queue display). */
  get queued(): number {
    return this.#waiting.length;
  }

  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await work();
    } finally {
      this.#release();
    }
  }

  #acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError());
    if (this.#running < this.limit && this.#waiting.length === 0) {
      this.#running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiting = this.#waiting.filter((w) => w !== waiter);
        reject(abortError());
      };
      const waiter: Waiter = {
        // The slot passes from the releasing call to this one: #running is not decremented in between.
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next.start();
    else this.#running -= 1;
  }
}

export function abortError(): DOMException {
  return new DOMException('Cancelled', 'AbortError');
}
