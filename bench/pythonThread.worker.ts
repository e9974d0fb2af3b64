/**
 * One Python of bench/threadPython.ts, on a Node worker thread: Pyodide with the real harness, each call
 * under its limit (KeyboardInterrupt through the interrupt buffer, as the browser pool does when
 * cross-origin isolated). Loaded through Vite's module runner, which resolves the harness's imports.
 */
import { parentPort } from 'node:worker_threads';
import type { Runner, Settled } from '../workers/python/runner.ts';
import { deadlineRunner } from '../test/builders/deadlineRunner.ts';

export type ThreadCall = { id: number; method: keyof Runner; arg: unknown; limitMs: number };
export type ThreadReply = { id: number; settled: Settled };

export async function serve(hashSeed: number): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('pythonThread.worker.ts runs on a worker thread');
  const python = await deadlineRunner(hashSeed);
  port.on('message', ({ id, method, arg, limitMs }: ThreadCall) => {
    const settled = python.within(limitMs, (runner) => (runner[method] as (arg: unknown) => Settled)(arg));
    port.postMessage({ id, settled } satisfies ThreadReply);
  });
  port.postMessage('ready');
}
