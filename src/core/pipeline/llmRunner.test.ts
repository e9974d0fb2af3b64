import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  LlmError,
  chatResult,
  type ChatOptions,
  type ChatRequest,
  type ChatResult,
  type LlmCapabilities,
} from '../../domain/llm.ts';
import type { LlmCallRow, LlmStage } from '../../domain/pipeline.ts';
import type { LlmClient } from '../ports.ts';
import { EngineStopped, LlmRunner, RequestRefused } from './llmRunner.ts';

const CAPS: LlmCapabilities = {
  engine: 'openai',
  model: 'm',
  concurrency: 1,
  logprobs: true,
  jsonSchema: true,
  maxChoices: 1,
  choicesShareThePrompt: false,
  continuesAssistant: false,
};

const request = (text: string): ChatRequest => ({ messages: [{ role: 'user', content: text }], temperature: 0 });

function answer(text: string, tokens = 3): ChatResult {
  const logprobs = Array.from({ length: 12 }, (_, i) => ({ token: `t${i}`, logprob: -0.1, top: [] }));
  return chatResult([{ text, logprobs, finishReason: 'stop' }], {
    promptTokens: 10,
    completionTokens: tokens,
    prefillTokensPerSecond: null,
    decodeTokensPerSecond: 50,
  });
}

/** An engine whose requests wait until the test answers them; `fail` makes the next requests throw instead. */
class HeldEngine implements LlmClient {
  readonly capabilities: LlmCapabilities;
  readonly started: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly #pending: { text: string; resolve: (r: ChatResult) => void }[] = [];
  readonly failures: unknown[] = [];

  constructor(concurrency = 1) {
    this.capabilities = { ...CAPS, concurrency };
  }

  async chat(req: ChatRequest, options: ChatOptions = {}): Promise<ChatResult> {
    const text = req.messages.at(-1)!.content;
    this.started.push(text);
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await new Promise<ChatResult>((resolve, reject) => {
        this.#pending.push({ text, resolve });
        options.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), {
          once: true,
        });
      });
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Answer the oldest waiting request (or the one with this text). */
  answer(text?: string): string {
    const at = text === undefined ? 0 : this.#pending.findIndex((p) => p.text === text);
    const [next] = this.#pending.splice(at, 1);
    if (!next) throw new Error(`no pending request ${text ?? ''}`);
    next.resolve(answer(`answer to ${next.text}`));
    return next.text;
  }

  get pending(): number {
    return this.#pending.length;
  }

  async dispose(): Promise<void> {}
}

/** Storage of LLM calls in memory. */
class CallStore {
  readonly rows = new Map<string, LlmCallRow>();
  async llmCall(key: string): Promise<LlmCallRow | undefined> {
    return this.rows.get(key);
  }
  async saveLlmCall(row: LlmCallRow): Promise<void> {
    this.rows.set(row.key, row);
  }
}

/** Let every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe('LlmRunner', () => {
  it('keeps at most `concurrency` requests at the engine, and the engine busy while any wait', async () => {
    const engine = new HeldEngine(2);
    const runner = new LlmRunner(engine, new CallStore(), 'p', { engine: 'openai', id: 'm' });
    const calls = Array.from({ length: 6 }, (_, i) => runner.call('f', 'probe', request(`r${i}`)));
    await settle();
    expect(engine.started).toEqual(['r0', 'r1']);
    engine.answer();
    await settle();
    expect(engine.started).toEqual(['r0', 'r1', 'r2']);
    while (engine.pending > 0) {
      engine.answer();
      await settle();
    }
    await Promise.all(calls);
    expect(engine.started).toHaveLength(6);
    expect(engine.maxInFlight).toBe(2);
    expect(runner.stats.calls).toBe(6);
  });

  it('sends the waiting request of the latest stage next, first come first within a stage', async () => {
    const engine = new HeldEngine(1);
    const runner = new LlmRunner(engine, new CallStore(), 'p', { engine: 'openai', id: 'm' });
    const order: [LlmStage, string][] = [
      ['probe', 'first'],
      ['probe', 'probe-a'],
      ['instruct', 'instruct-a'],
      ['solve', 'solve-a'],
      ['judge', 'judge-a'],
      ['solve', 'solve-b'],
      ['probe', 'probe-b'],
    ];
    const calls = order.map(([stage, text]) => runner.call('f', stage, request(text)));
    await settle();
    expect(engine.started).toEqual(['first']);
    while (engine.pending > 0) {
      engine.answer();
      await settle();
    }
    await Promise.all(calls);
    expect(engine.started).toEqual(['first', 'solve-a', 'solve-b', 'judge-a', 'instruct-a', 'probe-a', 'probe-b']);
  });

  it('answers a request asked before from storage, for the same project and model only', async () => {
    const engine = new HeldEngine(1);
    const store = new CallStore();
    const runner = new LlmRunner(engine, store, 'p', { engine: 'openai', id: 'm' });
    const first = runner.call('f', 'judge', request('same'));
    await settle();
    engine.answer();
    const a = await first;
    expect(a).toMatchObject({ cached: false, tokens: 13 });
    const b = await runner.call('g', 'judge', request('same'));
    expect(b.cached).toBe(true);
    expect(b.result.text).toBe('answer to same');
    expect(b.tokens).toBe(13);
    expect(engine.started).toEqual(['same']);
    expect(runner.stats).toMatchObject({ calls: 1, cached: 1 });
    // What is stored keeps the first few tokens' log-probabilities (what the judge reads), not all.
    const [row] = [...store.rows.values()];
    expect((row!.result as ChatResult).logprobs).toHaveLength(5);
    expect(row).toMatchObject({ projectId: 'p', functionId: 'f', stage: 'judge' });

    const other = new LlmRunner(engine, store, 'p', { engine: 'openai', id: 'another' });
    const asked = other.call('f', 'judge', request('same'));
    await settle();
    expect(engine.started).toEqual(['same', 'same']);
    engine.answer();
    expect((await asked).cached).toBe(false);
  });

  it('retries a retryable failure with a doubling wait, holding its place', async () => {
    vi.useFakeTimers();
    const engine = new HeldEngine(1);
    engine.failures.push(
      new LlmError('rate-limit', 'slow down', 'wait', true),
      new LlmError('device-lost', 'lost', 'reload', true),
    );
    const runner = new LlmRunner(engine, new CallStore(), 'p', { engine: 'openai', id: 'm' });
    const call = runner.call('f', 'solve', request('x'));
    const other = runner.call('f', 'solve', request('y'));
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.started).toEqual(['x']);
    await vi.advanceTimersByTimeAsync(499);
    expect(engine.started).toEqual(['x']);
    await vi.advanceTimersByTimeAsync(1);
    expect(engine.started).toEqual(['x', 'x']);
    await vi.advanceTimersByTimeAsync(999);
    expect(engine.started).toEqual(['x', 'x']);
    await vi.advanceTimersByTimeAsync(1);
    expect(engine.started).toEqual(['x', 'x', 'x']);
    engine.answer();
    expect((await call).result.text).toBe('answer to x');
    await vi.advanceTimersByTimeAsync(0);
    engine.answer();
    await other;
  });

  it('refuses the request (the function is dropped) for a bad or unsupported request', async () => {
    for (const code of ['bad-request', 'unsupported'] as const) {
      const engine = new HeldEngine(1);
      engine.failures.push(new LlmError(code, 'no', 'fix it'));
      const runner = new LlmRunner(engine, new CallStore(), 'p', { engine: 'openai', id: 'm' });
      const error = await runner.call('f', 'probe', request('x')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestRefused);
      expect((error as Error).message).toBe(`${code}: no`);
      expect(engine.started).toHaveLength(1);
      // The slot was given back.
      const next = runner.call('f', 'probe', request('y'));
      await settle();
      engine.answer();
      await next;
    }
  });

  it('stops the engine for a failure that is not about the request, or that does not go away', async () => {
    vi.useFakeTimers();
    const engine = new HeldEngine(1);
    engine.failures.push(new LlmError('network', 'gone', 'check the server'));
    const runner = new LlmRunner(engine, new CallStore(), 'p', { engine: 'openai', id: 'm' });
    const stopped = await runner.call('f', 'probe', request('x')).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(EngineStopped);
    expect((stopped as EngineStopped).error.code).toBe('network');

    for (let i = 0; i < 4; i++) engine.failures.push(new LlmError('rate-limit', 'slow down', 'wait', true));
    const call = runner.call('f', 'probe', request('y')).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500 + 1000 + 2000);
    const error = await call;
    expect(error).toBeInstanceOf(EngineStopped);
    expect(engine.started.filter((t) => t === 'y')).toHaveLength(4);

    // A malformed answer that keeps coming refuses the request instead: the next one may be fine.
    for (let i = 0; i < 4; i++) engine.failures.push(new LlmError('bad-response', 'garbled', 'retry', true));
    const garbled = runner.call('f', 'probe', request('z')).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3500);
    expect(await garbled).toBeInstanceOf(RequestRefused);
  });

  it('passes on a fault that is not an engine error, as it is', async () => {
    const engine = new HeldEngine(1);
    const fault = new TypeError('a bug');
    engine.failures.push(fault);
    const runner = new LlmRunner(engine, new CallStore(), 'p', { engine: 'openai', id: 'm' });
    await expect(runner.call('f', 'probe', request('x'))).rejects.toBe(fault);
  });

  it('cancels a request waiting for its turn, or generating, without losing the slot', async () => {
    const engine = new HeldEngine(1);
    const runner = new LlmRunner(engine, new CallStore(), 'p', { engine: 'openai', id: 'm' });
    const controller = new AbortController();
    const generating = runner.call('f', 'probe', request('a'), controller.signal).catch((e: unknown) => e);
    const waiting = runner.call('f', 'solve', request('b'), controller.signal).catch((e: unknown) => e);
    const later = runner.call('f', 'probe', request('c'));
    await settle();
    controller.abort();
    expect((await waiting) as DOMException).toMatchObject({ name: 'AbortError' });
    expect((await generating) as DOMException).toMatchObject({ name: 'AbortError' });
    await settle();
    expect(engine.started).toEqual(['a', 'c']);
    engine.answer('c');
    expect((await later).result.text).toBe('answer to c');
    await expect(runner.call('f', 'probe', request('d'), controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('cancels a retry while it waits', async () => {
    vi.useFakeTimers();
    const engine = new HeldEngine(1);
    engine.failures.push(new LlmError('rate-limit', 'slow down', 'wait', true));
    const runner = new LlmRunner(engine, new CallStore(), 'p', { engine: 'openai', id: 'm' });
    const controller = new AbortController();
    const call = runner.call('f', 'probe', request('x'), controller.signal).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(await call).toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(engine.started).toEqual(['x']);
  });
});
