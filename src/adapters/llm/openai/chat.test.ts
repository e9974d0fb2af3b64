import { afterEach, describe, expect, it } from 'vitest';
import type { LlmClient } from '../../../core/ports.ts';
import type { ChatRequest } from '../../../domain/llm.ts';
import {
  startOpenAiServer,
  tokenize,
  type OpenAiServer,
  type OpenAiServerOptions,
} from '../../../../test/builders/openaiServer.ts';
import { createServerConnector } from './connector.ts';

let server: OpenAiServer | null = null;
/** Requests the server had seen when connect() returned: the probes. */
let probes = 0;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function connect(options: OpenAiServerOptions = {}, concurrency = 2): Promise<LlmClient> {
  server = await startOpenAiServer(options);
  const settings = { baseUrl: server.url, apiKey: '', model: 'test-model', concurrency };
  const client = await createServerConnector().connect(settings);
  probes = server.requests.length;
  return client;
}

const ask = (content: string, more: Omit<ChatRequest, 'messages'> = {}): ChatRequest => ({
  messages: [{ role: 'user', content }],
  ...more,
});

/** Bodies of the chat requests after the probes. */
const chatBodies = () =>
  (server?.requests ?? [])
    .slice(probes)
    .filter((r) => r.path === '/v1/chat/completions')
    .map((r) => r.body);

const ANSWER = 'def area(r):\n    return π * r ** 2  # → λ, "ok"';

describe('chat', () => {
  it('streams pieces that join to the same text as a whole reply, mid-character splits and CRLF included', async () => {
    for (const lineEnding of ['\n', '\r\n'] as const) {
      const client = await connect({ defaultReply: { kind: 'text', text: ANSWER }, lineEnding });
      const whole = await client.chat(ask('Write area()'));
      const pieces: string[] = [];
      const streamed = await client.chat(ask('Write area()'), { onToken: (piece) => pieces.push(piece) });
      expect(whole.text).toBe(ANSWER);
      expect(streamed.text).toBe(ANSWER);
      expect(pieces).toEqual(tokenize(ANSWER));
      expect(pieces.length).toBeGreaterThan(10);
      expect([whole.finishReason, streamed.finishReason]).toEqual(['stop', 'stop']);
      expect(chatBodies().map((b) => [b?.['stream'], b?.['stream_options']])).toEqual([
        [false, undefined],
        [true, { include_usage: true }],
      ]);
      await server?.close();
    }
  });

  it('returns each token with its top alternatives, enough to score P(Yes)', async () => {
    const client = await connect({
      replies: { 'Is it correct?': { kind: 'text', text: 'Yes', alternatives: ['No', 'Maybe'] } },
    });
    for (const onToken of [undefined, () => undefined]) {
      const result = await client.chat(ask('Is it correct?', { topLogprobs: 3, maxTokens: 1 }), { onToken });
      expect(result.logprobs).toHaveLength(1);
      const first = result.logprobs?.[0];
      expect(first?.token).toBe('Yes');
      expect(first?.top.map((t) => t.token)).toEqual(['Yes', 'No', 'Maybe']);
      const p = (token: string) => Math.exp(first?.top.find((t) => t.token === token)?.logprob ?? -Infinity);
      expect(p('Yes') / (p('Yes') + p('No'))).toBeCloseTo(0.8 / 0.9, 6);
    }
    // Without topLogprobs nothing is asked for and nothing is returned.
    expect((await client.chat(ask('Is it correct?'))).logprobs).toBeNull();
    expect(chatBodies()[2]).not.toHaveProperty('logprobs');
  });

  it('sends the sampling settings and the JSON schema only when the request sets them', async () => {
    const client = await connect();
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    await client.chat(
      ask('x', {
        temperature: 0.7,
        topP: 0.95,
        maxTokens: 64,
        stop: ['\n\n'],
        seed: 7,
        repetitionPenalty: 1.1,
        jsonSchema: schema,
      }),
    );
    await client.chat(ask('x', { stop: [] }));
    const [full, bare] = chatBodies();
    expect(full).toMatchObject({
      model: 'test-model',
      messages: [{ role: 'user', content: 'x' }],
      temperature: 0.7,
      top_p: 0.95,
      max_tokens: 64,
      stop: ['\n\n'],
      seed: 7,
      repetition_penalty: 1.1,
      response_format: { type: 'json_schema', json_schema: { name: 'response', schema, strict: true } },
    });
    expect(Object.keys(bare ?? {}).sort()).toEqual(['messages', 'model', 'stream']);
  });

  it('takes a whole JSON reply to a streaming request (a server that ignores stream: true) as one piece', async () => {
    server = await startOpenAiServer();
    // The real server, asked without streaming behind the client's back.
    const unstreamed = (url: string, init: RequestInit) =>
      fetch(url, { ...init, body: String(init.body).replace('"stream":true', '"stream":false') });
    const settings = { baseUrl: server.url, apiKey: '', model: 'test-model', concurrency: 1 };
    const client = await createServerConnector(unstreamed).connect(settings);
    probes = server.requests.length;
    const pieces: string[] = [];
    const result = await client.chat(ask('hi'), { onToken: (piece) => pieces.push(piece) });
    expect(pieces).toEqual(['Hello from the test server.']);
    expect(result).toMatchObject({ text: 'Hello from the test server.', finishReason: 'stop' });
    expect(chatBodies()[0]?.['stream']).toBe(false);
  });

  it("maps a reply cut by max_tokens to 'length'", async () => {
    const client = await connect({ defaultReply: { kind: 'text', text: 'one two three four' } });
    const result = await client.chat(ask('count', { maxTokens: 2 }), { onToken: () => undefined });
    expect(result).toMatchObject({ text: 'one two', finishReason: 'length' });
  });
});

describe('usage', () => {
  it("passes on llama-server's own timings", async () => {
    const client = await connect({ timings: { promptPerSecond: 812.5, predictedPerSecond: 41.25 } });
    for (const onToken of [undefined, () => undefined]) {
      const { usage } = await client.chat(ask('three words here'), { onToken });
      expect(usage).toEqual({
        promptTokens: 3,
        completionTokens: 6,
        prefillTokensPerSecond: 812.5,
        decodeTokensPerSecond: 41.25,
      });
    }
  });

  it('measures speeds at the client when streaming, and cannot tell them from a whole reply', async () => {
    const client = await connect({ prefillMs: 100, tokenDelayMs: 25 });
    const streamed = await client.chat(ask('four words of prompt'), { onToken: () => undefined });
    expect(streamed.usage.promptTokens).toBe(4);
    expect(streamed.usage.completionTokens).toBe(6);
    // Upper bounds the server's sleeps guarantee: 4 prompt tokens took ≥ 125 ms (prefill and the first
    // token's delay), and 5 more tokens ≥ 25 ms each; lower bounds would only measure this machine's load.
    expect(streamed.usage.prefillTokensPerSecond).toBeGreaterThan(0);
    expect(streamed.usage.prefillTokensPerSecond).toBeLessThanOrEqual(4 / 0.125);
    expect(streamed.usage.decodeTokensPerSecond).toBeGreaterThan(0);
    expect(streamed.usage.decodeTokensPerSecond).toBeLessThanOrEqual(1000 / 25 + 1);
    const whole = await client.chat(ask('four words of prompt'));
    expect(whole.usage).toEqual({
      promptTokens: 4,
      completionTokens: 6,
      prefillTokensPerSecond: null,
      decodeTokensPerSecond: null,
    });
  });

  it('counts streamed pieces when the server reports no usage', async () => {
    const client = await connect({ usage: false });
    const { usage } = await client.chat(ask('hi'), { onToken: () => undefined });
    expect(usage.completionTokens).toBe(tokenize('Hello from the test server.').length);
    expect(usage.promptTokens).toBe(0);
    expect(usage.prefillTokensPerSecond).toBeNull();
  });
});
