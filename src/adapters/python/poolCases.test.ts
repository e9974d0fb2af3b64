/**
 * The pool's runCases and mutateCases with scripted workers (Comlink over real MessageChannels, in Node): a
 * runaway batch ends as one timeout (terminated, or interrupted and kept), a dead worker as crashed, and a
 * reply that does not fit (another number of cases, a forged kind) as crashed.
 */
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import type { CasesJob } from '../../domain/cases.ts';
import type { Settled } from '../../../workers/python/runner.ts';
import { PythonPool } from './pool.ts';
import type { SpawnedWorker } from './slot.ts';

type Answer = Settled | 'hang' | 'die';

/** A worker whose runCases answers by the job's entry point; mutateCases echoes its cases. */
function spawner(answer: (entryPoint: string) => Answer, interruptible = false) {
  const workers: { terminated: boolean; raised: number }[] = [];
  const spawn = async (): Promise<SpawnedWorker> => {
    const state = { terminated: false, raised: 0 };
    workers.push(state);
    const channel = new MessageChannel();
    let die!: (reason: string) => void;
    const died = new Promise<string>((resolve) => (die = resolve));
    let onInterrupt: (() => void) | null = null;
    Comlink.expose(
      {
        init: async () => {},
        runCases: (job: CasesJob) => {
          const scripted = answer(job.entryPoint);
          if (scripted === 'die') {
            die('the worker died');
            return new Promise(() => {});
          }
          if (scripted !== 'hang') return scripted;
          return new Promise<Settled>((resolve) => (onInterrupt = () => resolve({ kind: 'interrupted' })));
        },
        mutateCases: (job: { cases: unknown[] }): Settled => ({ kind: 'reply', value: { cases: job.cases } }),
      },
      channel.port2,
    );
    const interrupt = interruptible
      ? { raise: () => ((state.raised += 1), onInterrupt?.()), clear: async () => {} }
      : null;
    return { endpoint: channel.port1, died, interrupt, terminate: () => (state.terminated = true) };
  };
  return { pool: new PythonPool(spawn, 1), workers };
}

const ran = (cases: unknown[]): Settled => ({
  kind: 'reply',
  value: { ok: true, executable: null, helper: null, cases },
});
const job = (entryPoint: string, cases = 1): CasesJob => ({
  program: '',
  entryPoint,
  cases: Array.from({ length: cases }, () => ({ args: ['1'] })),
  coverage: false,
  tests: false,
});

describe('PythonPool.runCases', () => {
  it('settles with the validated batch', async () => {
    const { pool } = spawner(() => ran([{ kind: 'memory' }]));
    expect(await pool.runCases(job('f'), 1000)).toEqual({
      kind: 'ran',
      executable: null,
      helper: null,
      cases: [{ kind: 'memory' }],
    });
  });

  it('ends a runaway batch as one timeout: the worker is terminated when it cannot be interrupted', async () => {
    const { pool, workers } = spawner((entry) => (entry === 'spin' ? 'hang' : ran([{ kind: 'memory' }])));
    expect(await pool.runCases(job('spin', 3), 50)).toEqual({ kind: 'timeout', limitMs: 50 });
    expect(workers[0]!.terminated).toBe(true);
    expect(await pool.runCases(job('f'), 1000)).toMatchObject({ kind: 'ran' });
  });

  it('interrupts a runaway batch when it can, and keeps the worker', async () => {
    const { pool, workers } = spawner((entry) => (entry === 'spin' ? 'hang' : ran([{ kind: 'memory' }])), true);
    expect(await pool.runCases(job('spin'), 50)).toEqual({ kind: 'timeout', limitMs: 50 });
    expect(workers[0]!.raised).toBeGreaterThan(0);
    expect(workers[0]!.terminated).toBe(false);
    expect(await pool.runCases(job('f'), 1000)).toMatchObject({ kind: 'ran' });
    expect(workers).toHaveLength(1);
  });

  it('reports a worker that dies mid-batch as crashed', async () => {
    const { pool } = spawner(() => 'die');
    expect(await pool.runCases(job('f'), 1000)).toEqual({ kind: 'crashed', detail: 'the worker died' });
  });

  it('does not believe a reply for another number of cases, or one that claims a timeout', async () => {
    const { pool } = spawner((entry) =>
      entry === 'short' ? ran([]) : { kind: 'reply', value: { kind: 'timeout', limitMs: 1 } },
    );
    expect(await pool.runCases(job('short', 2), 1000)).toMatchObject({
      kind: 'crashed',
      detail: expect.stringContaining('0 outcomes for 2 cases'),
    });
    expect(await pool.runCases(job('forged'), 1000)).toMatchObject({ kind: 'crashed' });
  });
});

describe('PythonPool.mutateCases', () => {
  it('settles with the validated argument sets, and refuses ones that are not text', async () => {
    const { pool } = spawner(() => 'hang');
    expect(await pool.mutateCases({ cases: [{ args: ['1'] }], count: 1, seed: 0 })).toEqual({
      kind: 'mutated',
      cases: [{ args: ['1'] }],
    });
    const forged = await pool.mutateCases({ cases: [{ args: [1 as unknown as string] }], count: 1, seed: 0 });
    expect(forged).toMatchObject({ kind: 'crashed' });
  });
});
