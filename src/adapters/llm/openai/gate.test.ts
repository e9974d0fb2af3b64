import { describe, expect, it } from 'vitest';
import { Gate } from './gate.ts';

/** A call that runs until the test lets it end. */
function pending() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Gate', () => {
  it('runs at most `limit` calls at once, the waiting ones in the order they came', async () => {
    const gate = new Gate(2);
    const started: number[] = [];
    const calls = [0, 1, 2, 3, 4].map(() => pending());
    const runs = calls.map((call, i) =>
      gate.run(async () => {
        started.push(i);
        await call.done;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(3);
    calls[1]!.finish();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const call of calls) call.finish();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(gate.queued).toBe(0);
  });

  it('takes a cancelled waiter out of the queue without running it, with an AbortError', async () => {
    const gate = new Gate(1);
    const first = pending();
    let ranSecond = false;
    const running = gate.run(() => first.done);
    const controller = new AbortController();
    const second = gate.run(async () => void (ranSecond = true), controller.signal);
    const third = gate.run(async () => 'third');
    controller.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    expect(gate.queued).toBe(1);
    first.finish();
    await running;
    expect(await third).toBe('third');
    expect(ranSecond).toBe(false);
  });

  it('frees the slot of a call that throws', async () => {
    const gate = new Gate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
  });
});
