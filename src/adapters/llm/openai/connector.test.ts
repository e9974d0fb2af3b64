import { afterEach, describe, expect, it, vi } from 'vitest';
import { isLlmError, type LlmError } from '../../../domain/llm.ts';
import {
  startOpenAiServer,
  type OpenAiServer,
  type OpenAiServerOptions,
} from '../../../../test/builders/openaiServer.ts';
import { createServerConnector } from './connector.ts';

let server: OpenAiServer | null = null;
afterEach(async () => {
  vi.unstubAllGlobals();
  await server?.close();
  server = null;
});

async function start(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  server = await startOpenAiServer(options);
  return server;
}

const settings = (baseUrl: string, more: Partial<{ apiKey: string; model: string; concurrency: number }> = {}) => ({
  baseUrl,
  apiKey: '',
  model: 'test-model',
  concurrency: 2,
  ...more,
});

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isLlmError(error)) throw new Error(`expected an LlmError, got ${String(error)}`);
  return error;
}

/** A port nothing listens on: a server that was started and stopped. */
async function closedPort(): Promise<string> {
  const gone = await startOpenAiServer();
  await gone.close();
  return gone.url;
}

describe('models()', () => {
  it('lists the models with the base URL given with or without /v1', async () => {
    const { url } = await start({ models: ['qwen2.5-coder:7b', 'llama3.2:1b'] });
    const connector = createServerConnector();
    for (const base of [url, `${url}/`, `${url}/v1`, `${url}/v1/`])
      expect(await connector.models(settings(base)), base).toEqual(['qwen2.5-coder:7b', 'llama3.2:1b']);
    expect(server?.requests.map((r) => r.path)).toEqual(Array(4).fill('/v1/models'));
  });

  it('sends the API key as a bearer token, and says auth when it is missing or wrong', async () => {
    const { url } = await start({ apiKey: 'sk-local' });
    const connector = createServerConnector();
    expect(await connector.models(settings(url, { apiKey: ' sk-local ' }))).toEqual(['test-model']);
    expect(server?.requests[0]?.authorization).toBe('Bearer sk-local');
    const missing = await failure(connector.models(settings(url)));
    expect(missing.code).toBe('auth');
    expect(missing.message).toContain('Invalid API key');
    expect((await failure(connector.models(settings(url, { apiKey: 'wrong' })))).code).toBe('auth');
  });

  it("says 'unsupported' when the server has no model list, so the UI can ask for a name", async () => {
    const { url } = await start({ models: null });
    expect((await failure(createServerConnector().models(settings(url)))).code).toBe('unsupported');
  });

  it('says bad-response for a list that is not one', async () => {
    const fake = async () => new Response(JSON.stringify({ data: [{ name: 'x' }] }), { status: 200 });
    const error = await failure(createServerConnector(fake).models(settings('http://127.0.0.1:1')));
    expect(error.code).toBe('bad-response');
    expect(error.message).toContain('models.data[0].id');
  });
});

describe('connect()', () => {
  it('probes with one token and logprobs, and reports logprobs and the concurrency', async () => {
    const { url } = await start();
    const client = await createServerConnector().connect(settings(`${url}/v1/`, { concurrency: 4 }));
    expect(client.capabilities).toEqual({
      engine: 'openai',
      model: 'test-model',
      concurrency: 4,
      logprobs: true,
      jsonSchema: true,
      // The test server honours n; its default reply does not go on with the probe's words.
      maxChoices: 16,
      choicesShareThePrompt: true,
      continuesAssistant: false,
    });
    const probe = server?.requests.find((r) => r.path === '/v1/chat/completions')?.body;
    expect(probe).toMatchObject({ model: 'test-model', max_tokens: 1, logprobs: true, top_logprobs: 1, stream: false });
  });

  it('finds no logprobs on a server that ignores them, and on one that rejects them (asked again without)', async () => {
    for (const logprobs of ['ignored', 'rejected'] as const) {
      const { url } = await start({ logprobs });
      const client = await createServerConnector().connect(settings(url));
      expect(client.capabilities.logprobs, logprobs).toBe(false);
      const error = await failure(client.chat({ messages: [{ role: 'user', content: 'Yes?' }], topLogprobs: 2 }));
      expect(error.code).toBe('unsupported');
      await server?.close();
    }
  });

  it('says model-not-found for a model the server does not have, with its words', async () => {
    const { url } = await start({ models: ['a'] });
    const error = await failure(createServerConnector().connect(settings(url, { model: 'b' })));
    expect(error.code).toBe('model-not-found');
    expect(error.message).toContain('model "b" not found');
  });

  it('clamps the concurrency to at least 1 and refuses an empty model name without a request', async () => {
    const { url } = await start();
    const connector = createServerConnector();
    expect((await connector.connect(settings(url, { concurrency: 0 }))).capabilities.concurrency).toBe(1);
    expect((await connector.connect(settings(url, { concurrency: Number.NaN }))).capabilities.concurrency).toBe(1);
    const before = server?.requests.length;
    expect((await failure(connector.connect(settings(url, { model: ' ' })))).code).toBe('bad-request');
    expect(server?.requests.length).toBe(before);
  });
});

describe('a server that cannot be reached', () => {
  it("is 'network' without a page (Node) or from the server's own origin", async () => {
    const url = await closedPort();
    expect((await failure(createServerConnector().models(settings(url)))).code).toBe('network');
    vi.stubGlobal('location', { origin: url });
    expect((await failure(createServerConnector().models(settings(url)))).code).toBe('network');
  });

  it("is 'cors' from another origin, naming the setting of the server its port suggests", async () => {
    vi.stubGlobal('location', { origin: 'http://localhost:4173' });
    const url = await closedPort();
    const error = await failure(createServerConnector().connect(settings(url)));
    expect(error.code).toBe('cors');
    expect(error.message).toContain('no server is running there');
    expect(error.action).toContain('OLLAMA_ORIGINS=http://localhost:4173');
    // The browser's TypeError, the only signal it gives, for a port that says Ollama or LM Studio.
    const refused = async (): Promise<Response> => Promise.reject(new TypeError('Failed to fetch'));
    const ollama = await failure(createServerConnector(refused).models(settings('http://localhost:11434')));
    expect(ollama.action).toBe(
      'Check that the server is running, and if it is Ollama, restart it with OLLAMA_ORIGINS=http://localhost:4173 in its environment.',
    );
    const lmStudio = await failure(createServerConnector(refused).models(settings('http://localhost:1234')));
    expect(lmStudio.action).toContain('"Enable CORS"');
  });

  it('says an https page cannot reach a plain http server on another machine, whatever its CORS', async () => {
    vi.stubGlobal('location', { origin: 'https://semiverse.example' });
    const refused = async (): Promise<Response> => Promise.reject(new TypeError('Failed to fetch'));
    const error = await failure(createServerConnector(refused).models(settings('http://192.168.1.5:8000')));
    expect(error.code).toBe('network');
    expect(error.message).toContain('over plain http');
    const local = await failure(createServerConnector(refused).models(settings('http://localhost:8000')));
    expect(local.code).toBe('cors');
  });
});
