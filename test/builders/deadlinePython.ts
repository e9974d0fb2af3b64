/**
 * A PythonPort over the real harness with a time limit on every call, in this Node process: the port is
 * InProcessPython (test/fakes: outcomes mapped exactly as the pool maps them), over a runner whose every
 * call runs under deadlineRunner's watcher, which raises KeyboardInterrupt through Pyodide's interrupt
 * buffer once the call has run `capMs`. The runner then reports `interrupted`, which the port maps as the
 * pool maps an interrupted call (adapters/python/settle.ts: `timeout`). So a function that loops forever on
 * some input times out the way it does in the browser, and the oracle's batch splitting (casesRun.ts) is
 * exercised for real; plain InProcessPython has no limits and would wait forever.
 *
 * Every call gets the same limit, `capMs`, whatever limit the pipeline asked for (the runner below the port
 * does not see it). The code in these tests runs in microseconds to a few hundred milliseconds a batch, so
 * only hanging calls reach the cap, and they need not wait the pipeline's full batch limit (2 s plus 2 s a
 * case by default) to be found. Wrapping the runner rather than re-implementing the port keeps this in step
 * with the port as it grows.
 */
import type { Runner, Settled } from '../../workers/python/runner.ts';
import { InProcessPython } from '../fakes/inProcessPython.ts';
import { deadlineRunner, type DeadlineRunner } from './deadlineRunner.ts';

type Stat = { calls: number; ms: number; timeouts: number };

export class DeadlinePython extends InProcessPython {
  /** Per kind of runner call: how many, how long they took together, how many ran into the limit. */
  readonly stats: Record<string, Stat>;

  constructor(deadline: DeadlineRunner, capMs: number) {
    const stats: Record<string, Stat> = {};
    const timed = new Proxy(deadline.runner, {
      get(target, name, receiver) {
        const method = Reflect.get(target, name, receiver) as unknown;
        if (typeof method !== 'function') return method;
        return (job: unknown): Settled => {
          const coverage = (job as { coverage?: unknown } | undefined)?.coverage === true;
          const kind = `${String(name)}${coverage ? '(coverage)' : ''}`;
          const started = performance.now();
          const settled = deadline.within(capMs, (runner) =>
            (runner[name as keyof Runner] as (j: unknown) => Settled)(job),
          );
          const stat = (stats[kind] ??= { calls: 0, ms: 0, timeouts: 0 });
          stat.calls += 1;
          stat.ms += performance.now() - started;
          if (settled.kind === 'interrupted') stat.timeouts += 1;
          return settled;
        };
      },
    });
    super(timed);
    this.stats = stats;
  }

  /** Calls that ran into the limit. */
  get timeouts(): number {
    return Object.values(this.stats).reduce((sum, s) => sum + s.timeouts, 0);
  }
}

/** Two interpreters as a run uses them: `python` (hash seed 0) and `recheck` (hash seed 1). */
export type PythonPair = { python: DeadlinePython; recheck: DeadlinePython; dispose(): Promise<void> };

export async function deadlinePython(capMs: number): Promise<PythonPair> {
  const [first, second] = await Promise.all([deadlineRunner(0), deadlineRunner(1)]);
  return {
    python: new DeadlinePython(first, capMs),
    recheck: new DeadlinePython(second, capMs),
    dispose: async () => {
      await Promise.all([first.dispose(), second.dispose()]);
    },
  };
}
