/**
 * The pool's promises, with scripted workers (Comlink over real MessageChannels, in Node): every call
 * settles, deadlines interrupt or terminate, dead workers are replaced (also when they die idle), a storm
 * of failures stops the pool with its reason until retry(), replies that do not fit become `crashed`.
 */
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import type { Settled } from '../../../workers/python/runner.ts';
import { PythonPool } from './pool.ts';
import type { SpawnedWorker } from './slot.ts';

type Script = (job: { expression: string }) => Settled | 'hang' | 'die' | { raw: unknown } | { throws: unknown };

/** A fake worker whose runCall answers by script; it records interrupts and terminations. */
class FakeWorker {
  terminated = false;
  raised = 0;
  cleared = 0;
  #die!: (reason: string) => void;
  #onInterrupt: (() => void) | null = null;

  constructor(
    script: Script,
    private readonly interruptible: boolean,
  ) {
    const channel = new MessageChannel();
    this.endpoint = channel.port1;
    const died = new Promise<string>((resolve) => (this.#die = resolve));
    this.died = died;
    Comlink.expose(
      {
        init: async () => {},
        runCall: (job: { expression: string }) => {
          const answer = script(job);
          if (answer === 'die') {
            this.#die('the worker died');
            return new Promise(() => {});
          }
          if (typeof answer === 'object' && 'raw' in answer) return answer.raw; // a forged envelope
          if (typeof answer === 'object' && 'throws' in answer) throw answer.throws;
          if (answer !== 'hang') return answer;
          // A runaway call: answers only when interrupted (if it can be).
          return new Promise<Settled>((resolve) => (this.#onInterrupt = () => resolve({ kind: 'interrupted' })));
        },
      },
      channel.port2,
    );
  }

  endpoint: MessagePort;
  died: Promise<string>;

  die(reason: string): void {
    this.#die(reason);
  }

  handle(): SpawnedWorker {
    const interrupt = this.interruptible
      ? {
          raise: () => {
            this.raised += 1;
            this.#onInterrupt?.();
          },
          clear: async () => {
            this.cleared += 1;
          },
        }
      : null;
    return { endpoint: this.endpoint, died: this.died, interrupt, terminate: () => (this.terminated = true) };
  }
}

function pool(script: Script, opts: { interruptible?: boolean; size?: number; failStart?: number } = {}) {
  const workers: FakeWorker[] = [];
  let starts = 0;
  const spawn = async (): Promise<SpawnedWorker> => {
    starts += 1;
    if (starts <= (opts.failStart ?? 0)) throw new Error('runtime files are missing');
    const worker = new FakeWorker(script, opts.interruptible ?? false);
    workers.push(worker);
    return worker.handle();
  };
  return { pool: new PythonPool(spawn, opts.size ?? 1), workers, starts: () => starts };
}

const reply = (text: string): Settled => ({
  kind: 'reply',
  value: {
    kind: 'ok',
    value: { t: 'str', v: text },
    text,
    stdout: { text: '', truncated: false },
    stderr: { text: '', truncated: false },
  },
});
const job = (expression: string) => ({ program: '', expression });

describe('PythonPool', () => {
  it('settles a call with the validated reply', async () => {
    const { pool: p } = pool(() => reply('hi'));
    expect(await p.runCall(job('x'), 1000)).toMatchObject({ kind: 'ok', text: 'hi' });
  });

  it('turns a reply that does not fit into a crash instead of trusting it', async () => {
    const { pool: p } = pool(() => ({ kind: 'reply', value: { kind: 'ok', value: 'not a canonical value' } }));
    expect(await p.runCall(job('x'), 1000)).toMatchObject({ kind: 'crashed' });
  });

  it('terminates a runaway worker at the deadline when it cannot interrupt, and starts another', async () => {
    const { pool: p, workers } = pool((j) => (j.expression === 'loop' ? 'hang' : reply('ok')));
    expect(await p.runCall(job('loop'), 50)).toEqual({ kind: 'timeout', limitMs: 50 });
    expect(workers[0]!.terminated).toBe(true);
    expect(await p.runCall(job('next'), 1000)).toMatchObject({ kind: 'ok' });
    expect(workers).toHaveLength(2);
  });

  it('interrupts a runaway call when it can, keeps the worker, and clears the interrupt first', async () => {
    const { pool: p, workers } = pool((j) => (j.expression === 'loop' ? 'hang' : reply('ok')), { interruptible: true });
    expect(await p.runCall(job('loop'), 50)).toEqual({ kind: 'timeout', limitMs: 50 });
    const [worker] = workers;
    expect(worker!.raised).toBeGreaterThan(0);
    expect(worker!.terminated).toBe(false);
    expect(await p.runCall(job('next'), 1000)).toMatchObject({ kind: 'ok' });
    expect(worker!.cleared).toBe(1);
    expect(workers).toHaveLength(1);
  });

  it('reports a worker that dies mid-call as crashed and replaces it', async () => {
    const { pool: p, workers } = pool((j) => (j.expression === 'die' ? 'die' : reply('ok')));
    expect(await p.runCall(job('die'), 1000)).toEqual({ kind: 'crashed', detail: 'the worker died' });
    expect(await p.runCall(job('next'), 1000)).toMatchObject({ kind: 'ok' });
    expect(workers).toHaveLength(2);
  });

  it('never hands a call to a worker that died while idle', async () => {
    const { pool: p, workers } = pool(() => reply('ok'));
    await p.runCall(job('first'), 1000);
    workers[0]!.die('a timer it left threw');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await p.runCall(job('second'), 1000)).toMatchObject({ kind: 'ok' });
    expect(workers).toHaveLength(2);
  });

  it('maps a JavaScript stack overflow to RecursionError, and does not count it towards the storm cap', async () => {
    const { pool: p } = pool(() => ({
      kind: 'fault',
      detail: 'RangeError: Maximum call stack size exceeded',
      fatal: true,
      stack: true,
    }));
    for (let i = 0; i < 7; i++) {
      expect(await p.runCall(job('deep'), 1000)).toMatchObject({ kind: 'exception', type: 'RecursionError' });
    }
    expect(p.unavailable).toBeNull();
  });

  it('stops after five failed starts in a row, says why, and tries again after retry()', async () => {
    const { pool: p, starts } = pool(() => reply('ok'), { failStart: 5 });
    const result = await p.runCall(job('x'), 1000);
    expect(result).toMatchObject({ kind: 'crashed' });
    expect(result.kind === 'crashed' && result.detail).toMatch(/runtime files are missing .*5 failures in a row/);
    expect(p.unavailable).toMatch(/runtime files are missing/);
    expect(starts()).toBe(5);
    expect(await p.runCall(job('y'), 1000)).toMatchObject({ kind: 'crashed' }); // fails fast, no new start
    expect(starts()).toBe(5);
    p.retry();
    expect(await p.runCall(job('z'), 1000)).toMatchObject({ kind: 'ok' });
  });

  it('rejects a cancelled call with an AbortError, queued or running', async () => {
    const { pool: p, workers } = pool((j) => (j.expression === 'loop' ? 'hang' : reply('ok')));
    const running = new AbortController();
    const queued = new AbortController();
    const first = p.runCall(job('loop'), 60_000, running.signal);
    const second = p.runCall(job('x'), 60_000, queued.signal);
    queued.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    running.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect(workers[0]!.terminated).toBe(true);
  });

  it('does not believe a forged envelope: the call is crashed, the worker replaced, the pool unharmed', async () => {
    let n = 0;
    const { pool: p, workers } = pool(() => (n++ < 7 ? { raw: { kind: 'crashed', detail: 'forged' } } : reply('ok')));
    for (let i = 0; i < 7; i++) {
      const result = await p.runCall(job('x'), 1000);
      expect(result).toMatchObject({ kind: 'crashed' });
      expect(result.kind === 'crashed' && result.detail).toMatch(/not one \(forged or corrupted\)/);
    }
    expect(p.unavailable).toBeNull(); // claims cost the worker that made them, never the pool
    expect(workers.filter((w) => w.terminated)).toHaveLength(7);
    expect(await p.runCall(job('y'), 1000)).toMatchObject({ kind: 'ok' });
  });

  it('settles a call whose worker throws something that is not an error, without running its code', async () => {
    const trap = { toString: 1, valueOf: 1 }; // String(trap) would throw
    const { pool: p } = pool(() => ({ throws: trap }));
    expect(await p.runCall(job('x'), 1000)).toMatchObject({ kind: 'crashed' });
  });

  it('runs calls side by side up to its size', async () => {
    const { pool: p, workers } = pool(() => reply('ok'), { size: 3 });
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => p.runCall(job(String(i)), 1000)));
    expect(results.every((r) => r.kind === 'ok')).toBe(true);
    expect(workers).toHaveLength(3);
  });
});
