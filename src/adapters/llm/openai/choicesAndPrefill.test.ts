/**
 * Several completions per request (`n`) and continuing a started answer (prefill), against the loopback
 * server (test/builders/openaiServer.ts) acting as each kind of server: one that honours `n` (vLLM,
 * llama-server), one that ignores it (Ollama: one choice back), one that rejects it; one that continues a
 * trailing assistant message by itself (llama-server, Ollama), one that needs vLLM's two fields, one that
 * starts a new turn, and one that rejects the fields (OpenAI's own API).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isLlmError, type ChatRequest, type LlmCapabilities, type LlmError } from '../../../domain/llm.ts';
import {
  startOpenAiServer,
  tokenize,
  type OpenAiServer,
  type OpenAiServerOptions,
} from '../../../../test/builders/openaiServer.ts';
import { OpenAiClient } from './client.ts';
import { SERVER_MAX_CHOICES, createServerConnector } from './connector.ts';
import { PREFILL_PROBE } from './request.ts';

let server: OpenAiServer | null = null;
let probes = 0;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function connect(options: OpenAiServerOptions = {}) {
  server = await startOpenAiServer(options);
  const client = await createServerConnector().connect({
    baseUrl: server.url,
    apiKey: '',
    model: 'test-model',
    concurrency: 2,
  });
  probes = server.requests.length;
  return client;
}

/**
 * A client that believes what it is told, whatever the server does; `rewrite` changes each body on its way
 * (the server records what arrived).
 */
async function trusting(
  options: OpenAiServerOptions,
  capabilities: Partial<LlmCapabilities>,
  rewrite: (body: Record<string, unknown>) => Record<string, unknown> = (body) => body,
) {
  server = await startOpenAiServer(options);
  probes = 0;
  const send = (url: string, init: RequestInit) =>
    fetch(url, { ...init, body: JSON.stringify(rewrite(JSON.parse(String(init.body)) as Record<string, unknown>)) });
  const endpoint = { fetch: send, base: `${server.url}/v1`, apiKey: '' };
  return new OpenAiClient(endpoint, {
    ...{ engine: 'openai', model: 'test-model', concurrency: 1, logprobs: true, jsonSchema: true },
    ...{ maxChoices: 1, choicesShareThePrompt: false, continuesAssistant: false },
    ...capabilities,
  });
}

const chatBodies = () =>
  (server?.requests ?? [])
    .slice(probes)
    .filter((r) => r.path === '/v1/chat/completions')
    .map((r) => r.body);

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isLlmError(error)) throw new Error(`expected an LlmError, got ${String(error)}`);
  return error;
}

const CODE = 'Describe this code: def add(a, b): return a + b';
const CANDIDATES = {
  kind: 'text' as const,
  text: 'Write a python function that adds two numbers.',
  more: ['Write a python function named add.', 'Write a python function summing a and b.'],
};
const instruct = (more: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: CODE }],
  ...more,
});
const prefilled = (more: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [
    { role: 'user', content: CODE },
    { role: 'assistant', content: 'Write a python function' },
  ],
  ...more,
});
/** The loopback server's stand-in for a model that repeats the probe's words. */
const REPEATS = { [PREFILL_PROBE.user]: { kind: 'text' as const, text: 'alpha bravo charlie delta echo foxtrot' } };

describe('connect() finds out what the server does with n', () => {
  it.each([
    ['honoured', SERVER_MAX_CHOICES],
    ['ignored', 1],
    ['rejected', 1],
  ] as const)('a server that %s n: maxChoices %i', async (choices, expected) => {
    const client = await connect({ choices });
    expect(client.capabilities.maxChoices).toBe(expected);
    const asked = server?.requests.filter((r) => r.body?.['n'] !== undefined).map((r) => r.body);
    expect(asked).toEqual([expect.objectContaining({ n: 2, max_tokens: 1, stream: false })]);
  });
});

describe('several completions in one request', () => {
  it('asks for n and returns every choice in order, the first also at the top', async () => {
    const client = await connect({ defaultReply: CANDIDATES, choicesReversed: true });
    const result = await client.chat(instruct({ n: 3, temperature: 0.8 }));
    expect(chatBodies()).toEqual([expect.objectContaining({ n: 3, temperature: 0.8, stream: false })]);
    // Sent last index first; read back by index.
    expect(result.choices.map((c) => c.text)).toEqual([CANDIDATES.text, ...CANDIDATES.more]);
    expect(result.choices.every((c) => c.finishReason === 'stop' && c.logprobs === null)).toBe(true);
    expect({ text: result.text, logprobs: result.logprobs, finishReason: result.finishReason }).toEqual(
      result.choices[0],
    );
    const tokens = [CANDIDATES.text, ...CANDIDATES.more].reduce((n, text) => n + tokenize(text).length, 0);
    expect(result.usage.completionTokens).toBe(tokens);
  });

  it('sends no n for one, and caps n at maxChoices', async () => {
    const client = await connect({ defaultReply: CANDIDATES });
    await client.chat(instruct({ n: 1 }));
    const result = await client.chat(instruct({ n: 40 }));
    expect(chatBodies().map((b) => b?.['n'])).toEqual([undefined, SERVER_MAX_CHOICES]);
    expect(result.choices).toHaveLength(SERVER_MAX_CHOICES);
  });

  it('against a server that ignores n (Ollama) asks for one, and the caller asks again for the rest', async () => {
    const client = await connect({ choices: 'ignored', defaultReply: CANDIDATES });
    const texts: string[] = [];
    while (texts.length < 3)
      texts.push(...(await client.chat(instruct({ n: 3 - texts.length }))).choices.map((c) => c.text));
    expect(chatBodies().map((b) => b?.['n'])).toEqual([undefined, undefined, undefined]);
    expect(texts).toHaveLength(3);
  });

  it('returns what came when a server ignores n it was said to honour, never more than asked', async () => {
    const ignoring = await trusting({ choices: 'ignored', defaultReply: CANDIDATES }, { maxChoices: 8 });
    const few = await ignoring.chat(instruct({ n: 3 }));
    expect(chatBodies()[0]).toMatchObject({ n: 3 });
    expect(few.choices.map((c) => c.text)).toEqual([CANDIDATES.text]);
    await server?.close();
    // A server that sends more than the client asked for (a proxy raised n to 3) is cut to what was asked.
    const raised = await trusting({ defaultReply: CANDIDATES }, { maxChoices: 8 }, (body) => ({ ...body, n: 3 }));
    const two = await raised.chat(instruct({ n: 2 }));
    expect(chatBodies()[0]).toMatchObject({ n: 3 });
    expect(two.choices.map((c) => c.text)).toEqual([CANDIDATES.text, CANDIDATES.more[0]]);
  });

  it('gives each choice its own logprobs', async () => {
    const client = await connect({ defaultReply: { kind: 'text', text: 'Yes', more: ['No'], alternatives: ['No'] } });
    const result = await client.chat(instruct({ n: 2, topLogprobs: 2, maxTokens: 1, temperature: 1 }));
    expect(result.choices.map((c) => c.logprobs?.[0]?.token)).toEqual(['Yes', 'No']);
    expect(result.choices.map((c) => c.logprobs?.[0]?.top.map((t) => t.token))).toEqual([['Yes', 'No'], ['No']]);
  });

  it('n > 1 with streaming, or an n that is not a positive integer, is bad-request and sends nothing', async () => {
    const client = await connect();
    const pieces: string[] = [];
    expect((await failure(client.chat(instruct({ n: 2 }), { onToken: (p) => pieces.push(p) }))).code).toBe(
      'bad-request',
    );
    for (const n of [0, 2.5]) expect((await failure(client.chat(instruct({ n })))).code).toBe('bad-request');
    expect(chatBodies()).toEqual([]);
    expect(pieces).toEqual([]);
  });
});

describe('connect() finds out whether a started answer is continued', () => {
  it.each([
    ['continues', true],
    ['vllm', true],
    ['new-turn', false],
    ['rejected', false],
  ] as const)('a server whose prefill is %s: continuesAssistant %s', async (prefill, expected) => {
    const client = await connect({ prefill, replies: REPEATS });
    expect(client.capabilities.continuesAssistant).toBe(expected);
    const probe = server?.requests.find((r) => r.body?.['continue_final_message'] !== undefined)?.body;
    expect(probe).toMatchObject({
      messages: [
        { role: 'user', content: PREFILL_PROBE.user },
        { role: 'assistant', content: PREFILL_PROBE.started },
      ],
      continue_final_message: true,
      add_generation_prompt: false,
      temperature: 0,
    });
  });

  it('a server that continues but whose model says something else counts as not continuing', async () => {
    const client = await connect({ prefill: 'continues' });
    expect(client.capabilities.continuesAssistant).toBe(false);
  });
});

describe('continuing a started answer', () => {
  it('sends vLLM’s two fields with a trailing assistant message, and returns only the continuation', async () => {
    const client = await connect({ prefill: 'vllm', replies: { ...REPEATS, [CODE]: CANDIDATES } });
    const result = await client.chat(prefilled({ n: 3 }));
    expect(result.choices.map((c) => c.text)).toEqual([' that adds two numbers.', ' named add.', ' summing a and b.']);
    await client.chat(instruct());
    const [withOpener, without] = chatBodies();
    expect(withOpener).toMatchObject({ continue_final_message: true, add_generation_prompt: false, n: 3 });
    expect(without).not.toHaveProperty('continue_final_message');
    expect(without).not.toHaveProperty('add_generation_prompt');
  });

  it('streams a continuation too', async () => {
    const client = await connect({ prefill: 'continues', replies: { ...REPEATS, [CODE]: CANDIDATES } });
    const pieces: string[] = [];
    const result = await client.chat(prefilled(), { onToken: (p) => pieces.push(p) });
    expect(result.text).toBe(' that adds two numbers.');
    expect(pieces.join('')).toBe(result.text);
  });

  it('a server that starts a new turn refuses the request up front with unsupported', async () => {
    const client = await connect({ prefill: 'new-turn', replies: REPEATS });
    const error = await failure(client.chat(prefilled()));
    expect(error.code).toBe('unsupported');
    expect(chatBodies()).toEqual([]);
  });
});
