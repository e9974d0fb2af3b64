import type { ChatCompletionRequest } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../domain/llm.ts';
import type { EnginePort } from './enginePort.ts';
import { WebLlmClient } from './webLlmClient.ts';

/**
 * A stand-in for web-llm's engine behind EnginePort. It behaves as web-llm 0.2.86
 * does where the client depends on it: one generation at a time, an interrupt flag that a generation RESETS
 * when it starts (so an interrupt sent just before is lost), "abort" as the finish reason of an interrupted
 * generation, `n` choices generated one after another (an interrupt leaves the later ones empty), errors
 * as "Name: message" strings, and a reload after which the model is loaded again.
 */

type Script = {
  /** Text pieces, one per decode step. */
  pieces?: string[];
  /** With `n` > 1: each choice's pieces (choice i takes `choices[i]`); else every choice takes `pieces`. */
  choices?: string[][];
  /** Rejects with this (a string, as across the worker) instead of answering. */
  fail?: string;
  /** After this failure web-llm has unloaded the model (a device loss). */
  unloads?: boolean;
  /** Milliseconds before the generation starts (waiting for the model's lock) and per step. */
  startMs?: number;
  stepMs?: number;
  /** A reply that is not web-llm's shape. */
  raw?: unknown;
  /** Called when the generation has begun and waits for the model's lock (before it resets the interrupt flag). */
  whileWaiting?: () => void;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class FakeEngine implements EnginePort {
  readonly requests: ChatCompletionRequest[] = [];
  scripts: Script[] = [];
  interrupts = 0;
  reloads = 0;
  reloadFails: string | null = null;
  isLoaded = true;
  closed = false;
  running = 0;
  maxRunning = 0;
  /** Generations running when each request arrived, in arrival order. */
  busyOnArrival: number[] = [];
  /** How each generation ended, in order: its finish reason and how many pieces it made. */
  finished: { finish: string; pieces: number }[] = [];
  #flag = false;
  #death: ((error: Error) => void) | null = null;

  async create(request: ChatCompletionRequest): Promise<unknown> {
    this.requests.push(request);
    this.busyOnArrival.push(this.running);
    const script = this.scripts.shift() ?? { pieces: ['ok'] };
    if (script.raw !== undefined) return script.raw;
    if (!this.isLoaded) throw 'ModelNotLoadedError: Model not loaded before trying to complete ChatCompletionRequest.';
    if (request.stream) return this.#chunks(request, script);
    const generated: { text: string; finish: string }[] = [];
    for (let i = 0; i < (request.n ?? 1); i++) {
      // As web-llm: once interrupted, the later choices are not generated.
      const interrupted = generated.at(-1)?.finish === 'abort';
      const pieces = script.choices?.[i] ?? script.pieces;
      generated.push(interrupted ? { text: '', finish: 'abort' } : await this.#generate({ ...script, pieces }));
    }
    return {
      choices: generated.map(({ text, finish }, index) => ({
        index,
        finish_reason: finish,
        message: { role: 'assistant', content: text },
        logprobs: request.logprobs
          ? {
              content: [
                {
                  token: 'Yes',
                  logprob: -0.1,
                  bytes: [89],
                  top_logprobs: [
                    { token: 'Yes', logprob: -0.1, bytes: [] },
                    { token: 'No', logprob: -2.4, bytes: [] },
                  ],
                },
              ],
            }
          : null,
      })),
      usage: usage(generated.map((g) => g.text).join('')),
    };
  }

  async *#chunks(request: ChatCompletionRequest, script: Script): AsyncGenerator<unknown> {
    let text = '';
    const finish = await this.#generate(script, (piece) => (text += piece));
    // web-llm yields deltas as it decodes; here they come after, which is the same to the client.
    for (const piece of finish.pieces)
      yield { choices: [{ index: 0, delta: { role: 'assistant', content: piece }, finish_reason: null }] };
    yield { choices: [{ index: 0, delta: {}, finish_reason: finish.finish }] };
    if (request.stream_options?.include_usage) yield { choices: [], usage: usage(text) };
  }

  async #generate(
    script: Script,
    onPiece?: (piece: string) => void,
  ): Promise<{ text: string; finish: string; pieces: string[] }> {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      script.whileWaiting?.();
      await sleep(script.startMs ?? 0);
      this.#flag = false; // as web-llm does when a generation takes the lock
      if (script.fail) {
        if (script.unloads) this.isLoaded = false;
        throw script.fail;
      }
      const pieces: string[] = [];
      const end = (finish: string) => {
        this.finished.push({ finish, pieces: pieces.length });
        return { text: pieces.join(''), finish, pieces };
      };
      for (const piece of script.pieces ?? []) {
        if (this.#flag) return end('abort');
        await sleep(script.stepMs ?? 0);
        pieces.push(piece);
        onPiece?.(piece);
      }
      return end('stop');
    } finally {
      this.running--;
    }
  }

  interrupt(): void {
    this.interrupts++;
    this.#flag = true;
  }

  async reload(): Promise<void> {
    this.reloads++;
    await sleep(5);
    if (this.reloadFails) throw this.reloadFails;
    this.isLoaded = true;
  }

  async loaded(): Promise<boolean> {
    return this.isLoaded;
  }

  onDeath(listener: (error: Error) => void): void {
    this.#death = listener;
  }

  die(): void {
    this.#death?.(Object.assign(new Error('the WebLLM worker stopped'), { name: 'WorkerDied' }));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function usage(text: string) {
  return {
    prompt_tokens: 12,
    completion_tokens: text.length,
    total_tokens: 12 + text.length,
    extra: { prefill_tokens_per_s: 480.5, decode_tokens_per_s: text.length ? 35.25 : Number.NaN, e2e_latency_s: 0.1 },
  };
}

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content }],
  ...extra,
});

function setup() {
  const engine = new FakeEngine();
  return { engine, client: new WebLlmClient(engine, 'Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC') };
}

describe('WebLlmClient: requests and replies', () => {
  it('says what it can do', () => {
    expect(setup().client.capabilities).toEqual({
      engine: 'webllm',
      model: 'Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC',
      concurrency: 1,
      logprobs: true,
      jsonSchema: true,
      // web-llm generates n choices one after another; it cannot continue an assistant message.
      maxChoices: 16,
      choicesShareThePrompt: false,
      continuesAssistant: false,
    });
  });

  it('sends sampling, stop, seed, penalty and a JSON schema the way web-llm reads them', async () => {
    const { engine, client } = setup();
    engine.scripts = [{ pieces: ['{"a":', '1}'] }];
    const schema = { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] };
    const result = await client.chat(
      ask('hi', {
        temperature: 0.8,
        topP: 0.95,
        maxTokens: 64,
        stop: ['```'],
        seed: 7,
        repetitionPenalty: 1.1,
        jsonSchema: schema,
      }),
    );
    expect(engine.requests[0]).toEqual({
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.8,
      top_p: 0.95,
      max_tokens: 64,
      stop: ['```'],
      seed: 7,
      repetition_penalty: 1.1,
      response_format: { type: 'json_object', schema: JSON.stringify(schema) },
      stream: false,
    });
    expect(result).toEqual({
      text: '{"a":1}',
      logprobs: null,
      finishReason: 'stop',
      choices: [{ text: '{"a":1}', logprobs: null, finishReason: 'stop' }],
      usage: { promptTokens: 12, completionTokens: 7, prefillTokensPerSecond: 480.5, decodeTokensPerSecond: 35.25 },
    });
  });

  it('returns token log-probabilities with their alternatives', async () => {
    const { engine, client } = setup();
    engine.scripts = [{ pieces: ['Yes'] }];
    const result = await client.chat(ask('Is it correct?', { temperature: 0, maxTokens: 1, topLogprobs: 2 }));
    expect(engine.requests[0]).toMatchObject({ logprobs: true, top_logprobs: 2, stream: false });
    expect(result.logprobs).toEqual([
      {
        token: 'Yes',
        logprob: -0.1,
        top: [
          { token: 'Yes', logprob: -0.1 },
          { token: 'No', logprob: -2.4 },
        ],
      },
    ]);
  });

  it('refuses more than 5 alternatives before anything is sent', async () => {
    const { engine, client } = setup();
    await expect(client.chat(ask('x', { topLogprobs: 7 }))).rejects.toMatchObject({
      name: 'LlmError',
      code: 'unsupported',
    });
    expect(engine.requests).toEqual([]);
  });

  it('streams to onToken with usage from the last chunk; with logprobs it answers whole', async () => {
    const { engine, client } = setup();
    engine.scripts = [{ pieces: ['def ', 'f():', ' pass'] }, { pieces: ['Yes'] }];
    const pieces: string[] = [];
    const result = await client.chat(ask('x'), { onToken: (p) => pieces.push(p) });
    expect(engine.requests[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(pieces).toEqual(['def ', 'f():', ' pass']);
    expect(result).toMatchObject({
      text: 'def f(): pass',
      finishReason: 'stop',
      usage: { completionTokens: 13, decodeTokensPerSecond: 35.25 },
    });

    const whole: string[] = [];
    await client.chat(ask('y', { topLogprobs: 1 }), { onToken: (p) => whole.push(p) });
    expect(engine.requests[1]).toMatchObject({ stream: false });
    expect(whole).toEqual(['Yes']);
  });

  it('a reply that is not web-llm’s shape is bad-response', async () => {
    const { engine, client } = setup();
    engine.scripts = [{ raw: { choices: [{ message: { content: 42 } }] } }];
    await expect(client.chat(ask('x'))).rejects.toMatchObject({ code: 'bad-response' });
  });
});

describe('WebLlmClient: several completions, and a started answer', () => {
  it('asks web-llm for n without streaming and returns every choice, the first also at the top', async () => {
    const { engine, client } = setup();
    engine.scripts = [
      {
        choices: [
          ['Write a ', 'function'],
          ['Create a ', 'class'],
          ['Build ', 'it'],
        ],
      },
    ];
    const result = await client.chat(ask('Describe it.', { n: 3, temperature: 0.8, seed: 3 }));
    expect(engine.requests[0]).toMatchObject({ n: 3, temperature: 0.8, seed: 3, stream: false });
    expect(result.choices.map((c) => c.text)).toEqual(['Write a function', 'Create a class', 'Build it']);
    expect(result).toMatchObject({ text: 'Write a function', finishReason: 'stop' });
    expect(result.usage.completionTokens).toBe('Write a functionCreate a classBuild it'.length);
  });

  it('caps n at maxChoices, and sends none for one', async () => {
    const { engine, client } = setup();
    const result = await client.chat(ask('x', { n: 40 }));
    await client.chat(ask('y', { n: 1 }));
    expect(result.choices).toHaveLength(16);
    expect(engine.requests.map((r) => r.n)).toEqual([16, undefined]);
  });

  it('refuses n > 1 with onToken (bad-request) and a trailing assistant message (unsupported), sending nothing', async () => {
    const { engine, client } = setup();
    await expect(client.chat(ask('x', { n: 2 }), { onToken: () => undefined })).rejects.toMatchObject({
      name: 'LlmError',
      code: 'bad-request',
    });
    await expect(client.chat(ask('x', { n: 0 }))).rejects.toMatchObject({ code: 'bad-request' });
    const prefilled: ChatRequest = {
      messages: [
        { role: 'user', content: 'Describe this code.' },
        { role: 'assistant', content: 'Write a python function' },
      ],
    };
    await expect(client.chat(prefilled)).rejects.toMatchObject({ name: 'LlmError', code: 'unsupported' });
    expect(engine.requests).toEqual([]);
  });

  it('cancelling an n > 1 request stops every choice; the next request waits for the engine', async () => {
    const { engine, client } = setup();
    const abort = new AbortController();
    const long = Array(100).fill('x');
    engine.scripts = [{ choices: [['a'], long, long], stepMs: 5 }, { pieces: ['next'] }];
    const running = client.chat(ask('three', { n: 3 }), { signal: abort.signal });
    const next = client.chat(ask('next'));
    // Abort while the second choice generates.
    await expect.poll(() => engine.finished.length).toBe(1);
    abort.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect((await next).text).toBe('next');
    // Choice 0, then choice 1 interrupted (choice 2 never starts), then the next request.
    expect(engine.finished.map((f) => f.finish)).toEqual(['stop', 'abort', 'stop']);
    expect(engine.finished[1]!.pieces).toBeLessThan(100);
    expect(engine.busyOnArrival).toEqual([0, 0]);
  });
});

describe('WebLlmClient: one at a time, and cancelling', () => {
  it('runs requests one after another, in order', async () => {
    const { engine, client } = setup();
    engine.scripts = [1, 2, 3].map((n) => ({ pieces: [`r${n}`], stepMs: 5 }));
    const results = await Promise.all([1, 2, 3].map((n) => client.chat(ask(`q${n}`))));
    expect(results.map((r) => r.text)).toEqual(['r1', 'r2', 'r3']);
    expect(engine.maxRunning).toBe(1);
  });

  it('a queued call leaves at once and is never sent', async () => {
    const { engine, client } = setup();
    engine.scripts = [{ pieces: ['a', 'b'], stepMs: 20 }];
    const first = client.chat(ask('first'));
    const abort = new AbortController();
    const second = client.chat(ask('second'), { signal: abort.signal });
    abort.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    await first;
    expect(engine.requests.map((r) => r.messages[0]!.content)).toEqual(['first']);
  });

  it('the running call rejects at once; the interrupt is re-sent until the engine stops; the next waits for that', async () => {
    const { engine, client } = setup();
    const abort = new AbortController();
    // Cancelled while the generation waits for the model's lock: the flag reset that follows loses that
    // first interrupt, so only a re-sent one can stop it.
    const long = { pieces: Array(200).fill('x'), startMs: 30, stepMs: 5, whileWaiting: () => abort.abort() };
    engine.scripts = [long, { pieces: ['next'] }];
    const pieces: string[] = [];
    const running = client.chat(ask('long'), { signal: abort.signal, onToken: (p) => pieces.push(p) });
    const next = client.chat(ask('next'));
    // "At once": the call has settled while the engine is still busy with it.
    const endedWhenRejected = running.catch((error: unknown) => ({ error, ended: engine.finished.length }));
    expect(await endedWhenRejected).toEqual({ error: expect.objectContaining({ name: 'AbortError' }), ended: 0 });
    expect((await next).text).toBe('next');
    expect(engine.interrupts).toBeGreaterThan(1);
    // The engine stopped the long generation early, and took the next request only after that.
    expect(engine.finished[0]).toEqual({ finish: 'abort', pieces: expect.any(Number) });
    expect(engine.finished[0]!.pieces).toBeLessThan(200);
    expect(engine.busyOnArrival).toEqual([0, 0]);
    expect(pieces).toEqual([]);
  });

  it('a signal shared by many calls keeps no listener once they are done', async () => {
    const { client } = setup();
    const signal = new AbortController().signal;
    let listeners = 0;
    const [add, remove] = [signal.addEventListener.bind(signal), signal.removeEventListener.bind(signal)];
    signal.addEventListener = (...args: Parameters<typeof add>) => (listeners++, add(...args));
    signal.removeEventListener = (...args: Parameters<typeof remove>) => (listeners--, remove(...args));
    await Promise.all([1, 2, 3].map((n) => client.chat(ask(`q${n}`), { signal })));
    expect(listeners).toBe(0);
  });

  it('an already-aborted signal never queues', async () => {
    const { engine, client } = setup();
    await expect(client.chat(ask('x'), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(engine.requests).toEqual([]);
  });
});

describe('WebLlmClient: device loss, worker death, dispose', () => {
  it('a device loss reloads the model and rejects retryably; the retry succeeds', async () => {
    const { engine, client } = setup();
    engine.scripts = [
      { fail: 'DeviceLostError: The WebGPU device was lost while loading the model.', unloads: true },
      { pieces: ['back'] },
    ];
    const lost = client.chat(ask('x'));
    const queued = client.chat(ask('queued'));
    await expect(lost).rejects.toMatchObject({ name: 'LlmError', code: 'device-lost', retryable: true });
    expect((await queued).text).toBe('back');
    expect(engine.reloads).toBe(1);
  });

  it('an unnamed failure after which the model is gone counts as a device loss', async () => {
    const { engine, client } = setup();
    engine.scripts = [{ fail: 'Error: GPU buffer mapping failed', unloads: true }];
    await expect(client.chat(ask('x'))).rejects.toMatchObject({ code: 'device-lost', retryable: true });
    expect(engine.reloads).toBe(1);
  });

  it('an unnamed failure with the model still loaded is unknown, with no reload', async () => {
    const { engine, client } = setup();
    engine.scripts = [{ fail: 'Error: something odd' }];
    await expect(client.chat(ask('x'))).rejects.toMatchObject({
      code: 'unknown',
      message: expect.stringContaining('something odd'),
    });
    expect(engine.reloads).toBe(0);
  });

  it('when the reload fails, later calls get that failure, not retryable', async () => {
    const { engine, client } = setup();
    engine.reloadFails = 'DeviceLostError: lost again';
    engine.scripts = [{ fail: 'DeviceLostError: lost', unloads: true }];
    await expect(client.chat(ask('x'))).rejects.toMatchObject({ code: 'device-lost', retryable: true });
    await expect(client.chat(ask('y'))).rejects.toMatchObject({
      code: 'device-lost',
      retryable: false,
      action: expect.stringMatching(/smaller model/),
    });
  });

  it('a dead worker fails the running and queued calls and every later one', async () => {
    const { engine, client } = setup();
    engine.scripts = [{ pieces: ['a'], startMs: 1000 }];
    const running = client.chat(ask('x'));
    const queued = client.chat(ask('y'));
    await new Promise((r) => setTimeout(r, 5));
    engine.die();
    await expect(running).rejects.toMatchObject({
      name: 'LlmError',
      code: 'unknown',
      message: expect.stringContaining('worker stopped'),
    });
    await expect(queued).rejects.toMatchObject({ code: 'unknown' });
    await expect(client.chat(ask('z'))).rejects.toMatchObject({ code: 'unknown' });
  });

  it('dispose cancels what waits, stops what runs, closes the engine; later calls are not-loaded', async () => {
    const { engine, client } = setup();
    engine.scripts = [{ pieces: Array(100).fill('x'), stepMs: 5 }];
    const running = client.chat(ask('x'));
    const queued = client.chat(ask('y'));
    await new Promise((r) => setTimeout(r, 10));
    await client.dispose();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    expect(engine.closed).toBe(true);
    expect(engine.interrupts).toBeGreaterThan(0);
    await expect(client.chat(ask('z'))).rejects.toMatchObject({ code: 'not-loaded' });
  });
});
