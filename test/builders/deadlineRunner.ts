/**
 * The real runner with a wall-clock limit, in Node: a worker thread raises KeyboardInterrupt through
 * Pyodide's interrupt buffer when a call runs past its limit, as the browser pool does on a
 * cross-origin-isolated page (re-sent every 100 ms until the call returns). For tests that run code that
 * may not stop (mutated inputs, an infinite loop), which the plain nodeRunner() would wait for forever.
 */
import { loadPyodide } from 'pyodide';
import { Worker } from 'node:worker_threads';
import { installHarness, PYTHON_ENV, type Runner } from '../../workers/python/runner.ts';

export type DeadlineRunner = {
  runner: Runner;
  /** Run `call` (one synchronous runner call) with KeyboardInterrupt raised after `limitMs`. */
  within<T>(limitMs: number, call: (runner: Runner) => T): T;
  dispose(): Promise<void>;
};

// ctrl[0]: generation, odd while a call runs; ctrl[1]: that call's limit in ms; ctrl[2]: the last
// generation the watcher has seen end (so a late interrupt can never reach the next call).
const WATCHER = `
const { workerData } = require('node:worker_threads');
const flag = new Uint8Array(workerData.flag);
const ctrl = new Int32Array(workerData.ctrl);
for (;;) {
  const generation = Atomics.load(ctrl, 0);
  if (generation % 2 === 0) {
    Atomics.store(ctrl, 2, generation);
    Atomics.notify(ctrl, 2);
    Atomics.wait(ctrl, 0, generation);
    continue;
  }
  let wait = Atomics.load(ctrl, 1);
  while (Atomics.wait(ctrl, 0, generation, wait) === 'timed-out') {
    flag[0] = 2;
    wait = 100;
  }
}
`;

export async function deadlineRunner(hashSeed = 0): Promise<DeadlineRunner> {
  const env = { ...PYTHON_ENV, PYTHONHASHSEED: String(hashSeed) };
  const py = await loadPyodide({ env, stdout: () => {}, stderr: () => {} });
  const flag = new Uint8Array(new SharedArrayBuffer(1));
  const ctrlBuffer = new SharedArrayBuffer(12);
  const ctrl = new Int32Array(ctrlBuffer);
  py.setInterruptBuffer(flag);
  const watcher = new Worker(WATCHER, { eval: true, workerData: { flag: flag.buffer, ctrl: ctrlBuffer } });
  watcher.unref();
  const runner = installHarness(py);
  return {
    runner,
    within(limitMs, call) {
      Atomics.store(ctrl, 1, limitMs);
      Atomics.add(ctrl, 0, 1);
      Atomics.notify(ctrl, 0);
      try {
        return call(runner);
      } finally {
        const ended = Atomics.add(ctrl, 0, 1) + 1;
        Atomics.notify(ctrl, 0);
        while (Atomics.load(ctrl, 2) !== ended) Atomics.wait(ctrl, 2, Atomics.load(ctrl, 2), 50);
        flag[0] = 0;
      }
    },
    dispose: async () => {
      await watcher.terminate();
    },
  };
}
