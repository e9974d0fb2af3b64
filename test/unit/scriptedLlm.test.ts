/**
 * The scripted LLM and model host, through the ports the pipeline uses (LlmClient, ModelHost), on every
 * scenario file in test/fixtures/llm/; and the scenario loader's errors on malformed files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LlmClient, ModelHost } from '../../src/core/ports.ts';
import { isLlmError, type ChatRequest, type ChatResult, type LoadProgress } from '../../src/domain/llm.ts';
import { ScenarioError, loadScenario, parseScenario, scenarioFiles, tokenize } from '../fakes/llmScenario.ts';
import { ScriptedLlm } from '../fakes/scriptedLlm.ts';
import { ScriptedModelHost } from '../fakes/scriptedModelHost.ts';

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [
    { role: 'system', content: 'You are a careful Python programmer.' },
    { role: 'user', content },
  ],
  ...extra,
});

/** What a test sees of a rejection: its class, by name and code, never its message. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; code?: string; retryable?: boolean }> {
  try {
    await promise;
  } catch (error) {
    if (isLlmError(error)) return { name: error.name, code: error.code, retryable: error.retryable };
    if (error instanceof Error || error instanceof DOMException) return { name: error.name };
    throw error;
  }
  throw new Error('expected a rejection');
}

/** P(Yes) normalised over Yes and No, from the first token's top logprobs, as the judge stage reads it. */
function pYes(result: ChatResult): number {
  const top = result.logprobs?.[0]?.top ?? [];
  const p = (token: string): number => Math.exp(top.find((t) => t.token === token)?.logprob ?? -Infinity);
  return p('Yes') / (p('Yes') + p('No'));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('scenario files', () => {
  it('all parse, and the ones pipeline tests rely on exist', () => {
    const names = scenarioFiles().map((file) => basename(file, '.json'));
    for (const name of names) expect(loadScenario(name).name).toBe(name);
    expect(names).toEqual(
      expect.arrayContaining([
        ...['valid-output', 'malformed-json', 'refusal', 'empty-output', 'slow-stream', 'load-failure'],
        ...['device-lost-then-recover', 'judge-yes-no', 'server-prefill'],
      ]),
    );
  });

  const dir = mkdtempSync(join(tmpdir(), 'semiverse-scenario-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, data: unknown): string => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
    return path;
  };
  const reply = (fields: object): unknown => ({ description: 'd', rules: [{ stage: 's', replies: [fields] }] });

  it.each([
    ['bad-code', reply({ type: 'error', code: 'devcie-lost' }), 'scenario.rules[0].replies[0].code'],
    ['typo', reply({ type: 'text', text: 'x', delayMS: 5 }), 'scenario.rules[0].replies[0].delayMS: unknown field'],
    ['no-text', reply({ type: 'text' }), 'scenario.rules[0].replies[0].text'],
    [
      'bad-regex',
      {
        description: 'd',
        rules: [{ stage: 's', match: { lastUser: { regex: '(' } }, replies: [{ type: 'text', text: '' }] }],
      },
      'scenario.rules[0].match.lastUser.regex',
    ],
    ['no-replies', { description: 'd', rules: [{ stage: 's', replies: [] }] }, 'scenario.rules[0].replies: empty'],
    [
      'not-a-distribution',
      reply({ type: 'text', text: 'Yes', logprobs: { first: { Yes: -0.01, No: -0.5 } } }),
      'sum to',
    ],
    [
      'first-token-missing',
      reply({ type: 'text', text: 'Yes', logprobs: { first: { No: -0.1 } } }),
      'lacks the reply\'s first token "Yes"',
    ],
    [
      'valid-invalid-json',
      reply({ type: 'text', text: '{"a": 1}', invalidJson: true }),
      'marked invalidJson but parses',
    ],
    [
      'concurrency',
      { description: 'd', rules: [], capabilities: { concurrency: 0 } },
      'scenario.capabilities.concurrency',
    ],
    [
      'progress-order',
      {
        description: 'd',
        rules: [],
        host: {
          load: {
            progress: [
              { phase: 'load', fraction: 0.5 },
              { phase: 'download', fraction: 1 },
            ],
          },
        },
      },
      'scenario.host.load.progress[1].phase: download after load',
    ],
    [
      'load-error-code',
      { description: 'd', rules: [], host: { load: { error: { code: 'offline' } } } },
      'scenario.host.load.error.code',
    ],
    ['syntax', '{"description": "d", "rules": [', 'not valid JSON'],
    [
      'test-double-engine',
      { description: 'd', rules: [], capabilities: { engine: 'scripted' } },
      'scenario.capabilities.engine: unexpected "scripted"',
    ],
    [
      'host-not-webllm',
      { description: 'd', rules: [], capabilities: { engine: 'openai' }, host: { load: {} } },
      'scenario.capabilities.engine: "openai" with a host section',
    ],
    [
      'webllm-prefill',
      { description: 'd', rules: [], capabilities: { engine: 'webllm', continuesAssistant: true } },
      'scenario.capabilities.continuesAssistant',
    ],
    [
      'no-choices',
      { description: 'd', rules: [], capabilities: { maxChoices: 0 } },
      'scenario.capabilities.maxChoices',
    ],
  ])('a malformed file (%s) fails naming the file and the field', (name, data, field) => {
    const path = write(name, data);
    expect(() => loadScenario(path)).toThrow(ScenarioError);
    expect(() => loadScenario(path)).toThrow(path);
    expect(() => loadScenario(path)).toThrow(field);
  });
});

describe('valid-output', () => {
  it('answers each stage from its rule, hands out a rule’s replies in arrival order, and records requests', async () => {
    const llm = new ScriptedLlm(loadScenario('valid-output'));
    const instructions = await Promise.all(
      [1, 2, 3, 4].map((n) => llm.chat(ask(`Write an instruction for this function (candidate ${n}).`))),
    );
    expect(instructions.map((r) => r.text)).toEqual([
      'Write a python function `add(a, b)` that returns the sum of two integers.',
      'Write a python function that adds two numbers and returns the result.',
      'Implement `add`, which takes two integers and returns their sum.',
      // The last reply repeats once the sequence runs out.
      'Implement `add`, which takes two integers and returns their sum.',
    ]);
    const probe = await llm.chat(ask('Give arguments for add(a, b).', { jsonSchema: { type: 'object' } }));
    expect(JSON.parse(probe.text)).toEqual({ calls: [{ args: [2, 3] }, { args: [-1, 1] }, { args: [0, 0] }] });
    const solve = await llm.chat(ask('Solve this task: add two integers.'));
    expect(solve.text).toMatch(/```python\ndef add\(a, b\):\n {4}return a \+ b\n```/);
    expect(solve.finishReason).toBe('stop');
    expect(solve.logprobs).toBeNull();
    expect(solve.usage).toEqual({
      promptTokens: tokenize('You are a careful Python programmer.Solve this task: add two integers.').length,
      completionTokens: tokenize(solve.text).length,
      prefillTokensPerSecond: 850,
      decodeTokensPerSecond: 42,
    });
    expect(llm.requests.map((r) => [r.stage, r.reply, r.outcome])).toEqual([
      ...[0, 1, 2, 2].map((reply) => ['instruct', reply, 'ok']),
      ['probe', 0, 'ok'],
      ['solve', 0, 'ok'],
    ]);
    expect(llm.requestsFor('probe')[0]?.jsonSchema).toEqual({ type: 'object' });
  });

  it('streams pieces that concatenate to the text, and honours stop strings and the token limit', async () => {
    const llm: LlmClient = new ScriptedLlm(loadScenario('valid-output'));
    const pieces: string[] = [];
    const result = await llm.chat(ask('Solve it.'), { onToken: (piece) => pieces.push(piece) });
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(result.text);
    const stopped = await llm.chat(ask('Solve it.', { stop: ['```\n'] }));
    expect(stopped.text).toBe('Here is the function:\n\n```python\ndef add(a, b):\n    return a + b\n');
    expect(stopped.finishReason).toBe('stop');
    const cut = await llm.chat(ask('Solve it.', { maxTokens: 4 }));
    expect(cut).toMatchObject({ text: 'Here is the function', finishReason: 'length' });
  });

  it('a request no rule matches is a test error, not an engine failure', async () => {
    const llm = new ScriptedLlm(loadScenario('valid-output'));
    expect(await failure(llm.chat(ask('Tell me a joke.')))).toEqual({ name: 'Error' });
    expect(llm.requests[0]).toMatchObject({ stage: null, outcome: 'error' });
  });

  it('its host loads the model in two phases and hands out a client for it', async () => {
    const host: ModelHost = new ScriptedModelHost(loadScenario('valid-output'));
    expect(await host.probe()).toMatchObject({ ok: true, quantization: 'q4f32_1' });
    const model = host.catalog.find((m) => m.family === host.defaultFamily);
    const modelId = model?.variants.q4f32_1?.modelId ?? '';
    expect(modelId).toBe('scripted-coder-1.5b');
    const progress: LoadProgress[] = [];
    const client = await host.load(modelId, (event) => progress.push(event));
    expect(progress.map((p) => [p.phase, p.fraction])).toEqual([
      ['download', 0],
      ['download', 0.5],
      ['download', 1],
      ['load', 0.5],
      ['load', 1],
    ]);
    expect(progress[1]).toMatchObject({ bytesDone: 500_000, bytesTotal: 1_000_000, etaSeconds: 2 });
    expect(progress[3]).toMatchObject({ bytesDone: null, text: 'Loading model from cache[1/2]' });
    expect(client.capabilities).toEqual({
      engine: 'webllm',
      model: modelId,
      concurrency: 2,
      logprobs: true,
      jsonSchema: true,
      maxChoices: 16,
      choicesShareThePrompt: false,
      continuesAssistant: false,
    });
    expect((await client.chat(ask('An instruction, please.'))).text).toMatch(/^Write a python function/);
    expect(await host.cached()).toEqual([{ modelId, bytes: null }]);
    await host.remove(modelId);
    expect(await host.cached()).toEqual([]);
  });

  it('a model the catalog lacks fails with model-not-found before any progress', async () => {
    const host = new ScriptedModelHost(loadScenario('valid-output'));
    const progress: LoadProgress[] = [];
    expect(await failure(host.load('Llama-9000', (p) => progress.push(p)))).toMatchObject({
      code: 'model-not-found',
    });
    expect(progress).toEqual([]);
  });
});

describe('malformed-json', () => {
  it('returns truncated JSON, then prose, then valid JSON to a JSON-schema request', async () => {
    const llm = new ScriptedLlm(loadScenario('malformed-json'));
    const request = ask('Give arguments for add(a, b).', { jsonSchema: { type: 'object' } });
    const [cut, prose, valid] = [await llm.chat(request), await llm.chat(request), await llm.chat(request)];
    expect(cut?.finishReason).toBe('length');
    expect(() => JSON.parse(cut?.text ?? '')).toThrow(SyntaxError);
    expect(() => JSON.parse(prose?.text ?? '')).toThrow(SyntaxError);
    expect(JSON.parse(valid?.text ?? '')).toEqual({ calls: [{ args: [2, 3] }] });
  });

  it('non-JSON the scenario did not mean is a test error; engines without JSON output refuse the schema', async () => {
    const llm = new ScriptedLlm(
      parseScenario({ description: 'd', rules: [{ stage: 'probe', replies: [{ type: 'text', text: 'oops' }] }] }, 'x'),
    );
    expect(await failure(llm.chat(ask('args', { jsonSchema: { type: 'object' } })))).toEqual({ name: 'Error' });
    const plain = new ScriptedLlm(
      parseScenario(
        {
          description: 'd',
          capabilities: { jsonSchema: false },
          rules: [{ stage: 'p', replies: [{ type: 'text', text: '{}' }] }],
        },
        'y',
      ),
    );
    expect(await failure(plain.chat(ask('args', { jsonSchema: { type: 'object' } })))).toMatchObject({
      code: 'unsupported',
    });
  });
});

describe('refusal and empty-output', () => {
  it('a refusal is a finished answer', async () => {
    const result = await new ScriptedLlm(loadScenario('refusal')).chat(ask('Write an instruction for this function.'));
    expect(result).toMatchObject({ text: "I can't help with that.", finishReason: 'stop' });
  });

  it('empty output streams nothing and has no token logprobs', async () => {
    const pieces: string[] = [];
    const llm = new ScriptedLlm(loadScenario('empty-output'));
    const result = await llm.chat(ask('Is this a good instruction?', { topLogprobs: 5 }), {
      onToken: (piece) => pieces.push(piece),
    });
    expect(result).toMatchObject({ text: '', finishReason: 'stop', logprobs: [] });
    expect(result.usage.completionTokens).toBe(1);
    expect(pieces).toEqual([]);
  });
});

describe('slow-stream', () => {
  it('streams a piece at a time, and an abort midway rejects with AbortError and stops the stream', async () => {
    const llm = new ScriptedLlm(loadScenario('slow-stream'));
    const controller = new AbortController();
    const arrivals: number[] = [];
    const started = performance.now();
    const done = llm.chat(ask('An instruction, please.'), {
      signal: controller.signal,
      onToken: () => {
        arrivals.push(performance.now() - started);
        if (arrivals.length === 3) controller.abort();
      },
    });
    const rejection = await failure(done);
    expect(rejection).toEqual({ name: 'AbortError' });
    await done.catch((error: unknown) => expect(error).toBeInstanceOf(DOMException));
    await sleep(100);
    expect(arrivals).toHaveLength(3);
    // One piece per 25 ms (timers may fire a millisecond early).
    expect(arrivals[2]).toBeGreaterThanOrEqual(70);
    expect(llm.requests[0]?.outcome).toBe('aborted');
    expect(llm.inFlight).toBe(0);
  });

  it('an abort from outside (a timer) lands between pieces; an already aborted signal emits nothing', async () => {
    const llm = new ScriptedLlm(loadScenario('slow-stream'));
    const pieces: string[] = [];
    const whole = tokenize(loadScenario('slow-stream').rules[0]?.replies[0]?.text ?? '');
    const result = llm.chat(ask('x'), { signal: AbortSignal.timeout(100), onToken: (p) => pieces.push(p) });
    // Whatever the signal's reason, the port's promise is an AbortError.
    expect(await failure(result)).toEqual({ name: 'AbortError' });
    const seen = pieces.length;
    await sleep(80);
    expect(pieces).toHaveLength(seen);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(whole.length);
    expect(pieces.join('')).toBe(whole.slice(0, seen).join(''));

    const aborted = AbortSignal.abort();
    expect(await failure(llm.chat(ask('x'), { signal: aborted, onToken: (p) => pieces.push(p) }))).toEqual({
      name: 'AbortError',
    });
    expect(pieces).toHaveLength(seen);
  });

  it('queues requests beyond the concurrency cap, and serves them all', async () => {
    const llm = new ScriptedLlm(loadScenario('slow-stream'));
    expect(llm.capabilities.concurrency).toBe(1);
    const started = performance.now();
    const results = await Promise.all([1, 2].map(() => llm.chat(ask('x'))));
    expect(results.map((r) => r.text)).toEqual(Array(2).fill(results[0]?.text));
    expect(llm.maxInFlight).toBe(1);
    // Serialised: two whole streams one after another.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * tokenize(results[0]?.text ?? '').length * 24);
  });
});

describe('concurrency', () => {
  const scenario = parseScenario(
    {
      description: 'd',
      capabilities: { concurrency: 3 },
      rules: [{ stage: 'any', replies: [{ type: 'text', text: 'one two three', delayMs: 10 }] }],
    },
    'concurrency',
  );

  it('never has more than capabilities.concurrency requests generating', async () => {
    const llm = new ScriptedLlm(scenario);
    const seen: number[] = [];
    const all = Array.from({ length: 8 }, () => llm.chat(ask('x'), { onToken: () => seen.push(llm.inFlight) }));
    expect((await Promise.all(all)).every((r) => r.text === 'one two three')).toBe(true);
    expect(llm.maxInFlight).toBe(3);
    expect(Math.max(...seen)).toBe(3);
    expect(llm.inFlight).toBe(0);
  });

  it('a queued request can be aborted, and dispose fails the rest with not-loaded', async () => {
    const llm = new ScriptedLlm(scenario);
    const controller = new AbortController();
    const running = [1, 2, 3].map(() => llm.chat(ask('x')));
    const queued = llm.chat(ask('x'), { signal: controller.signal });
    const waiting = llm.chat(ask('x'));
    controller.abort();
    expect(await failure(queued)).toEqual({ name: 'AbortError' });
    await llm.dispose();
    for (const call of [...running, waiting]) expect(await failure(call)).toMatchObject({ code: 'not-loaded' });
    expect(await failure(llm.chat(ask('x')))).toMatchObject({ code: 'not-loaded' });
    expect(llm.maxInFlight).toBe(3);
  });
});

describe('device-lost-then-recover', () => {
  it('fails the first request with a retryable device-lost after some tokens, then succeeds', async () => {
    const llm = new ScriptedLlm(loadScenario('device-lost-then-recover'));
    const pieces: string[] = [];
    expect(await failure(llm.chat(ask('x'), { onToken: (p) => pieces.push(p) }))).toEqual({
      name: 'LlmError',
      code: 'device-lost',
      retryable: true,
    });
    expect(pieces.join('')).toBe('Write a python');
    expect((await llm.chat(ask('x'))).text).toBe('Write a python function that reverses a string.');
    expect(llm.requests.map((r) => r.outcome)).toEqual(['error', 'ok']);
  });
});

describe('judge-yes-no', () => {
  const judge = (instruction: string, topLogprobs = 5): ChatRequest =>
    ask(`Instruction: ${instruction}\nDoes the code do exactly this? Answer Yes or No.`, {
      topLogprobs,
      maxTokens: 1,
      temperature: 0,
    });

  it('gives the scripted P(Yes) for a good instruction and a low one for a vague one', async () => {
    const scenario = loadScenario('judge-yes-no');
    const llm: LlmClient = new ScriptedLlm(scenario);
    const good = await llm.chat(judge('Write a function that returns the sum of two integers.'));
    expect(good.text).toBe('Yes');
    const first = scenario.rules[0]?.replies[0];
    const given = first?.type === 'text' ? (first.logprobs?.first ?? {}) : {};
    const expected = Math.exp(given['Yes'] ?? 0) / (Math.exp(given['Yes'] ?? 0) + Math.exp(given['No'] ?? 0));
    expect(pYes(good)).toBeCloseTo(expected, 12);
    expect(pYes(good)).toBeCloseTo(0.90888, 4);
    expect(good.logprobs?.[0]).toMatchObject({ token: 'Yes', logprob: -0.1 });
    expect(good.logprobs?.[0]?.top.map((t) => t.token)).toEqual(['Yes', 'No', ' Yes', 'yes']);

    const vague = await llm.chat(judge('Do the thing.'));
    expect(vague.text).toBe('No');
    // Best first, whatever order the scenario wrote them in.
    expect(vague.logprobs?.[0]?.top.map((t) => t.token)).toEqual(['No', 'Yes', 'Maybe']);
    expect(pYes(vague)).toBeCloseTo(0.23148, 4);
  });

  it('returns only as many alternatives as asked for, best first', async () => {
    const llm = new ScriptedLlm(loadScenario('judge-yes-no'));
    const result = await llm.chat(judge('Return the sum of two integers... returns the sum of two integers.', 2));
    expect(result.logprobs?.[0]?.top).toEqual([
      { token: 'Yes', logprob: -0.1 },
      { token: 'No', logprob: -2.4 },
    ]);
    expect(result.logprobs).toHaveLength(1);
  });

  it('an engine without logprobs refuses rather than guess', async () => {
    const scenario = { ...loadScenario('judge-yes-no') };
    scenario.capabilities = { ...scenario.capabilities, logprobs: false };
    const llm = new ScriptedLlm(scenario);
    expect(await failure(llm.chat(judge('Do the thing.')))).toMatchObject({ code: 'unsupported' });
    // Without logprobs asked for, the same engine still answers (the instruct rule).
    expect((await llm.chat(ask('An instruction, please.'))).logprobs).toBeNull();
  });
});

describe('load-failure', () => {
  it('emits download progress, then rejects with a retryable network error and caches nothing', async () => {
    const host = new ScriptedModelHost(loadScenario('load-failure'));
    const modelId = host.catalog[0]?.variants.q4f32_1?.modelId ?? '';
    const progress: LoadProgress[] = [];
    expect(await failure(host.load(modelId, (p) => progress.push(p)))).toEqual({
      name: 'LlmError',
      code: 'network',
      retryable: true,
    });
    expect(progress.map((p) => [p.phase, p.fraction])).toEqual([
      ['download', 0],
      ['download', 0.1],
      ['download', 0.3],
    ]);
    expect(host.loads[0]?.outcome).toBe('error');
    expect(await host.cached()).toEqual([]);
    expect(host.clients).toEqual([]);
  });

  it('a cancelled load rejects with AbortError and emits nothing after it', async () => {
    const host = new ScriptedModelHost(loadScenario('load-failure'));
    const controller = new AbortController();
    const progress: LoadProgress[] = [];
    const load = host.load(
      host.scenario.capabilities.model,
      (p) => {
        progress.push(p);
        if (progress.length === 1) controller.abort();
      },
      controller.signal,
    );
    expect(await failure(load)).toEqual({ name: 'AbortError' });
    await sleep(20);
    expect(progress).toHaveLength(1);
    expect(host.loads[0]?.outcome).toBe('aborted');
  });
});

describe('several completions (n)', () => {
  const instruct = (n: number) => ask('An instruction, please.', { n, temperature: 0.8 });

  it('answers n with the rule’s next n replies, in order, and records which', async () => {
    const llm: LlmClient = new ScriptedLlm(loadScenario('valid-output'));
    const result = await llm.chat(instruct(3));
    expect(result.choices.map((c) => c.text)).toEqual([
      'Write a python function `add(a, b)` that returns the sum of two integers.',
      'Write a python function that adds two numbers and returns the result.',
      'Implement `add`, which takes two integers and returns their sum.',
    ]);
    expect(result.choices.every((c) => c.finishReason === 'stop' && c.logprobs === null)).toBe(true);
    // The top level is the first choice.
    expect({ text: result.text, logprobs: result.logprobs, finishReason: result.finishReason }).toEqual(
      result.choices[0],
    );
    expect(result.usage.completionTokens).toBe(result.choices.reduce((sum, c) => sum + tokenize(c.text).length, 0));
    // The next request goes on from there (the last reply repeats).
    expect((await llm.chat(instruct(1))).choices).toHaveLength(1);
    expect((llm as ScriptedLlm).requests.map((r) => [r.reply, r.replies])).toEqual([
      [0, [0, 1, 2]],
      [2, [2]],
    ]);
    expect((llm as ScriptedLlm).requests[0]?.request.n).toBe(3);
  });

  it('gives at most maxChoices: an engine without n answers one, and the caller asks again', async () => {
    const scenario = parseScenario(
      {
        description: 'd',
        capabilities: { engine: 'openai', maxChoices: 1 },
        rules: [{ stage: 'any', replies: ['a', 'b', 'c'].map((text) => ({ type: 'text', text })) }],
      },
      'no-n',
    );
    const llm = new ScriptedLlm(scenario);
    const got: string[] = [];
    while (got.length < 3) got.push(...(await llm.chat(instruct(3 - got.length))).choices.map((c) => c.text));
    expect(got).toEqual(['a', 'b', 'c']);
    expect(llm.requests.map((r) => r.request.n)).toEqual([3, 2, 1]);
    const capped = new ScriptedLlm(loadScenario('server-prefill'));
    expect((await capped.chat(instruct(20))).choices).toHaveLength(8);
  });

  it('n > 1 with streaming, or an n that is not a positive integer, is bad-request before anything runs', async () => {
    const llm = new ScriptedLlm(loadScenario('valid-output'));
    const pieces: string[] = [];
    expect(await failure(llm.chat(instruct(2), { onToken: (p) => pieces.push(p) }))).toMatchObject({
      code: 'bad-request',
    });
    for (const n of [0, 1.5, -1]) expect(await failure(llm.chat(instruct(n)))).toMatchObject({ code: 'bad-request' });
    expect(pieces).toEqual([]);
    // Streaming one is fine.
    expect((await llm.chat(instruct(1), { onToken: (p) => pieces.push(p) })).text).toBe(pieces.join(''));
  });

  it('each choice carries its own logprobs; an error reply among them fails the request', async () => {
    const judge = new ScriptedLlm({
      ...loadScenario('judge-yes-no'),
      capabilities: { ...loadScenario('judge-yes-no').capabilities, maxChoices: 2 },
    });
    const both = await judge.chat(ask('Instruction: Do the thing.\nAnswer Yes or No.', { n: 2, topLogprobs: 2 }));
    expect(both.choices.map((c) => c.logprobs?.[0]?.token)).toEqual(['No', 'No']);
    const lost = new ScriptedLlm({
      ...loadScenario('device-lost-then-recover'),
      capabilities: { ...loadScenario('device-lost-then-recover').capabilities, maxChoices: 2 },
    });
    expect(await failure(lost.chat(ask('x', { n: 2 })))).toMatchObject({ code: 'device-lost' });
  });
});

describe('continuing an assistant message (prefill)', () => {
  const opener = 'Write a python function';
  const prefilled = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
    messages: [
      { role: 'system', content: 'You write instructions.' },
      { role: 'user', content: 'Describe this code: def add(a, b): return a + b' },
      { role: 'assistant', content: opener },
    ],
    ...extra,
  });

  it('returns only what follows the opener, stop strings and n included', async () => {
    const llm = new ScriptedLlm(loadScenario('server-prefill'));
    expect(llm.capabilities).toMatchObject({ engine: 'openai', continuesAssistant: true, maxChoices: 8 });
    const result = await llm.chat(prefilled({ n: 3, stop: ['```'] }));
    expect(result.choices.map((c) => c.text)).toEqual([
      ' `add(a, b)` that returns the sum of two integers.',
      ' that adds two numbers and returns the result.',
      ' named add that sums its two arguments.\n',
    ]);
    expect(llm.requests[0]?.request.messages.at(-1)).toEqual({ role: 'assistant', content: opener });
  });

  it('a reply that does not start with the opener is the continuation as written', async () => {
    const scenario = parseScenario(
      {
        description: 'd',
        capabilities: { engine: 'openai', continuesAssistant: true },
        rules: [{ stage: 's', replies: [{ type: 'text', text: ' that reverses a string.' }] }],
      },
      'written',
    );
    expect((await new ScriptedLlm(scenario).chat(prefilled())).text).toBe(' that reverses a string.');
  });

  it('an engine that does not continue (web-llm) refuses with unsupported, before any rule answers', async () => {
    const llm = new ScriptedLlm(loadScenario('valid-output'));
    expect(await failure(llm.chat(prefilled()))).toMatchObject({ name: 'LlmError', code: 'unsupported' });
    expect(llm.requests[0]).toMatchObject({ stage: null, replies: [], outcome: 'error' });
  });
});
