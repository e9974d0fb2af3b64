import { afterEach, describe, expect, it } from 'vitest';
import type { LlmClient } from '../../../core/ports.ts';
import { isLlmError, type ChatRequest, type LlmError } from '../../../domain/llm.ts';
import {
  startOpenAiServer,
  type OpenAiServer,
  type OpenAiServerOptions,
  type Reply,
} from '../../../../test/builders/openaiServer.ts';
import { OpenAiClient } from './client.ts';
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

const ask = (content: string): ChatRequest => ({ messages: [{ role: 'user', content }] });
/** Chat requests sent after the probes. */
const chatRequests = () => (server?.requests ?? []).slice(probes).filter((r) => r.path === '/v1/chat/completions');
const LONG = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isLlmError(error)) throw new Error(`expected an LlmError, got ${String(error)}`);
  return error;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('concurrency and cancelling', () => {
  it('keeps at most `concurrency` requests in flight, and uses all of them', async () => {
    const client = await connect({ tokenDelayMs: 10 }, 3);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => client.chat(ask(`q${i}`), i % 2 ? { onToken: () => undefined } : {})),
    );
    expect(results.map((r) => r.text)).toEqual(Array(10).fill('Hello from the test server.'));
    expect(server?.maxInFlight).toBe(3);
    expect(chatRequests()).toHaveLength(10);
  });

  it('cancels a running stream with an AbortError, closing the connection', async () => {
    const client = await connect({ defaultReply: { kind: 'text', text: LONG }, tokenDelayMs: 30 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const call = client.chat(ask('long'), {
      signal: controller.signal,
      onToken: (piece) => (pieces.push(piece), controller.abort()),
    });
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    await expect(call).rejects.not.toMatchObject({ name: 'LlmError' });
    expect(pieces.length).toBeLessThan(5);
    await until(() => server?.closedEarly === 1);
  });

  it('takes a cancelled call out of the queue without sending it', async () => {
    const client = await connect({ tokenDelayMs: 40 }, 1);
    let firstDone = false;
    const running = client.chat(ask('first')).then(() => (firstDone = true));
    const controller = new AbortController();
    const queued = client.chat(ask('second'), { signal: controller.signal });
    const after = client.chat(ask('third'));
    controller.abort();
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    expect(firstDone).toBe(false); // it left the queue at once, not when its turn came
    await Promise.all([running, after]);
    const sent = chatRequests().map((r) => r.body?.['messages']);
    expect(JSON.stringify(sent)).not.toContain('second');
    expect(sent).toHaveLength(2);
  });

  it('dispose() cancels calls in flight and refuses new ones', async () => {
    const client = await connect({ tokenDelayMs: 40 });
    const call = client.chat(ask('x'));
    await until(() => server?.inFlight === 1);
    await client.dispose();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect((await failure(client.chat(ask('y')))).code).toBe('not-loaded');
  });
});

describe('failures', () => {
  const error = (status: number, message = 'it went wrong'): Reply => ({
    kind: 'error',
    status,
    body: JSON.stringify({ error: { message, type: 'x' } }),
  });

  it('maps each error status to its code, keeping the server words', async () => {
    const cases: [number, string, boolean][] = [
      [400, 'bad-request', false],
      [422, 'bad-request', false],
      [401, 'auth', false],
      [403, 'auth', false],
      [404, 'model-not-found', false],
      [429, 'rate-limit', true],
      [500, 'server', true],
      [503, 'server', true],
    ];
    const replies = Object.fromEntries(
      cases.map(([status]) => [`status ${status}`, error(status, `reason ${status}`)]),
    );
    const client = await connect({ replies });
    for (const [status, code, retryable] of cases) {
      const e = await failure(client.chat(ask(`status ${status}`)));
      expect([e.code, e.retryable], String(status)).toEqual([code, retryable]);
      expect(e.message).toContain(`reason ${status}`);
      expect(e.action.length).toBeGreaterThan(10);
    }
  });

  it('caps a long error body and takes the message of the shapes servers use', async () => {
    const replies: Record<string, Reply> = {
      huge: { kind: 'error', status: 400, body: 'x'.repeat(100_000) },
      vllm: { kind: 'error', status: 400, body: JSON.stringify({ object: 'error', message: 'max_tokens too large' }) },
      fastapi: {
        kind: 'error',
        status: 422,
        body: JSON.stringify({ detail: [{ loc: ['body', 'messages'], msg: 'Field required' }] }),
      },
    };
    const client = await connect({ replies });
    expect((await failure(client.chat(ask('huge')))).message.length).toBeLessThan(500);
    expect((await failure(client.chat(ask('vllm')))).message).toContain('max_tokens too large');
    expect((await failure(client.chat(ask('fastapi')))).message).toContain('Field required');
  });

  it("is 'network' (retryable) when the connection drops mid-stream or mid-reply: nothing malformed was said", async () => {
    const cut: Reply = { kind: 'cut', text: LONG, afterTokens: 3, how: 'reset' };
    const client = await connect({ replies: { cut } });
    const pieces: string[] = [];
    const streamed = await failure(client.chat(ask('cut'), { onToken: (p) => pieces.push(p) }));
    expect([streamed.code, streamed.retryable]).toEqual(['network', true]);
    expect(streamed.message).toContain('Lost the connection');
    expect(pieces).toHaveLength(3);
    expect((await failure(client.chat(ask('cut')))).code).toBe('network');
  });

  it("is 'bad-response' when a stream ends without [DONE] or a finish reason", async () => {
    const client = await connect({ replies: { end: { kind: 'cut', text: LONG, afterTokens: 2, how: 'end' } } });
    const e = await failure(client.chat(ask('end'), { onToken: () => undefined }));
    expect(e.code).toBe('bad-response');
    expect(e.message).toContain('before the server said it was done');
  });

  it('reads an error event inside a stream as the server failure it reports', async () => {
    const replies: Record<string, Reply> = {
      died: { kind: 'cut', text: LONG, afterTokens: 2, how: 'error-event' },
      rejected: { kind: 'cut', text: LONG, afterTokens: 0, how: 'error-event', status: 400 },
    };
    const client = await connect({ replies });
    const died = await failure(client.chat(ask('died'), { onToken: () => undefined }));
    expect([died.code, died.message]).toEqual(['server', expect.stringContaining('engine died')]);
    expect((await failure(client.chat(ask('rejected'), { onToken: () => undefined }))).code).toBe('bad-request');
  });

  it("is 'bad-response' for garbage, whole or streamed", async () => {
    const replies: Record<string, Reply> = {
      html: { kind: 'garbage', body: '<html><body>Welcome to nginx!</body></html>' },
      chunk: { kind: 'garbage', body: 'data: {"choices": [\n\n' },
      shape: { kind: 'garbage', body: JSON.stringify({ choices: [{ message: { content: 42 } }] }) },
    };
    const client = await connect({ replies });
    const html = await failure(client.chat(ask('html')));
    expect([html.code, html.message]).toEqual(['bad-response', expect.stringContaining('not JSON')]);
    expect((await failure(client.chat(ask('chunk'), { onToken: () => undefined }))).code).toBe('bad-response');
    const shape = await failure(client.chat(ask('shape')));
    expect([shape.code, shape.message]).toEqual(['bad-response', expect.stringContaining('choices[0].content')]);
  });

  it("is 'unsupported' when logprobs were asked for and none came back", async () => {
    server = await startOpenAiServer({ logprobs: 'ignored' });
    // As if the probe had seen logprobs (a server behind a proxy that changed its mind).
    const endpoint = {
      fetch: (url: string, init: RequestInit) => fetch(url, init),
      base: `${server.url}/v1`,
      apiKey: '',
    };
    const capabilities = {
      engine: 'openai',
      model: 'test-model',
      concurrency: 1,
      logprobs: true,
      jsonSchema: true,
      maxChoices: 1,
      choicesShareThePrompt: false,
      continuesAssistant: false,
    } as const;
    const client = new OpenAiClient(endpoint, capabilities);
    expect((await failure(client.chat({ ...ask('x'), topLogprobs: 1 }))).code).toBe('unsupported');
  });
});
