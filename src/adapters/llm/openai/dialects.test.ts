/**
 * The client on replies in the exact shapes llama-server, Ollama and vLLM send (test/fixtures/servers),
 * whole and streamed, so their quirks (extra fields, empty `choices` in a usage chunk, `usage: null` on
 * every chunk, a role-only first delta, `-9999.0` for minus infinity, llama-server's `timings`) are known
 * to parse to the same result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createServerConnector } from './connector.ts';
import type { FetchLike } from './http.ts';

type Dialect = { server: string; whole: unknown; stream: (object | string)[] };
const DIR = new URL('../../../../test/fixtures/servers/', import.meta.url);
const dialects: Dialect[] = readdirSync(DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as Dialect);

/** Serves one dialect: the model list, and its recorded reply, streamed in 7-byte pieces when asked. */
function serve(dialect: Dialect): FetchLike {
  return async (url, init) => {
    if (url.endsWith('/models')) return Response.json({ object: 'list', data: [{ id: 'm', object: 'model' }] });
    const body = JSON.parse(String(init.body)) as { stream?: boolean };
    if (!body.stream) return Response.json(dialect.whole);
    const sse = dialect.stream.map((d) => `data: ${typeof d === 'string' ? d : JSON.stringify(d)}\n\n`).join('');
    const bytes = new TextEncoder().encode(sse);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
  };
}

const JUDGE = {
  messages: [{ role: 'user' as const, content: 'Is the answer correct?' }],
  topLogprobs: 2,
  temperature: 0,
};

describe.each(dialects)('replies shaped like $server', (dialect) => {
  it('connects, finds logprobs, and reads a whole reply', async () => {
    const client = await createServerConnector(serve(dialect)).connect({
      baseUrl: 'http://127.0.0.1:8080',
      apiKey: '',
      model: 'm',
      concurrency: 2,
    });
    expect(client.capabilities.logprobs).toBe(true);
    const result = await client.chat(JUDGE);
    expect(result.text).toBe('Yes, it is.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ promptTokens: 21, completionTokens: 5 });
    expect(result.logprobs?.map((t) => t.token).join('')).toBe('Yes, it is.');
    const first = result.logprobs?.[0]?.top ?? [];
    const p = (token: string) => Math.exp(first.find((t) => t.token === token)?.logprob ?? -Infinity);
    expect(p('Yes') / (p('Yes') + p('No'))).toBeCloseTo(0.9548, 3);
  });

  it('streams the same text, logprobs and usage', async () => {
    const connector = createServerConnector(serve(dialect));
    const client = await connector.connect({
      baseUrl: 'http://127.0.0.1:8080/v1',
      apiKey: '',
      model: 'm',
      concurrency: 1,
    });
    const whole = await client.chat(JUDGE);
    const pieces: string[] = [];
    const streamed = await client.chat({ ...JUDGE, topLogprobs: undefined }, { onToken: (p) => pieces.push(p) });
    expect(pieces.join('')).toBe('Yes, it is.');
    expect(streamed.text).toBe(whole.text);
    expect(streamed.finishReason).toBe('stop');
    expect(streamed.usage).toMatchObject({ promptTokens: 21, completionTokens: 5 });
    expect(streamed.usage.decodeTokensPerSecond).not.toBeNull();
    const withLogprobs = await client.chat(JUDGE, { onToken: () => {} });
    expect(withLogprobs.logprobs).toEqual(whole.logprobs);
  });
});

it('takes llama-server’s own speeds over the client’s measurements', async () => {
  const llama = dialects.find((d) => d.server === 'llama-server')!;
  const client = await createServerConnector(serve(llama)).connect({
    baseUrl: 'http://127.0.0.1:8080',
    apiKey: '',
    model: 'm',
    concurrency: 1,
  });
  const result = await client.chat(JUDGE);
  expect(result.usage.prefillTokensPerSecond).toBe(664.5);
  expect(result.usage.decodeTokensPerSecond).toBe(121.3);
});
