import { describe, expect, it } from 'vitest';
import { StreamCollector, parseCompletion, toEngineRequest } from './chatMapping.ts';

describe('toEngineRequest', () => {
  it('leaves unset fields out, and asks for usage only when streaming', () => {
    const request = {
      messages: [
        { role: 'system' as const, content: 's' },
        { role: 'user' as const, content: 'u' },
      ],
    };
    expect(toEngineRequest(request, false)).toEqual({ messages: request.messages, stream: false });
    expect(toEngineRequest({ ...request, temperature: 0 }, true)).toEqual({
      messages: request.messages,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('a JSON schema goes as json_object with the schema as a string (web-llm ignores json_schema)', () => {
    const schema = { type: 'array', items: { type: 'integer' } };
    expect(toEngineRequest({ messages: [], jsonSchema: schema }, false).response_format).toEqual({
      type: 'json_object',
      schema: '{"type":"array","items":{"type":"integer"}}',
    });
  });

  it('refuses 0 or fractional alternatives as well as more than 5', () => {
    for (const topLogprobs of [0, 2.5, 6]) {
      expect(() => toEngineRequest({ messages: [], topLogprobs }, false)).toThrow(/1 to 5/);
    }
  });
});

describe('parseCompletion', () => {
  const reply = (choice: object, usage?: object) => ({ choices: [choice], usage });

  it('keeps a -Infinity log-probability, reads an unknown finish as other, a missing rate as null', () => {
    const result = parseCompletion(
      reply(
        {
          finish_reason: 'tool_calls',
          message: { content: null },
          logprobs: { content: [{ token: 'a', logprob: -1, top_logprobs: [{ token: 'b', logprob: -Infinity }] }] },
        },
        {
          prompt_tokens: 3,
          completion_tokens: 0,
          extra: { prefill_tokens_per_s: 10, decode_tokens_per_s: Number.NaN },
        },
      ),
    );
    expect(result).toEqual({
      text: '',
      finishReason: 'other',
      logprobs: [{ token: 'a', logprob: -1, top: [{ token: 'b', logprob: -Infinity }] }],
      usage: { promptTokens: 3, completionTokens: 0, prefillTokensPerSecond: 10, decodeTokensPerSecond: null },
    });
  });

  it('an interrupted generation says abort; a reply without usage counts nothing', () => {
    expect(parseCompletion(reply({ finish_reason: 'abort', message: { content: 'par' } }))).toMatchObject({
      text: 'par',
      finishReason: 'abort',
      usage: { promptTokens: 0, prefillTokensPerSecond: null },
    });
  });

  it('names the field of a reply that does not fit', () => {
    expect(() => parseCompletion({ choices: [] })).toThrow(/reply.choices: empty/);
    expect(() =>
      parseCompletion(reply({ message: { content: 'x' }, logprobs: { content: [{ token: 1, top_logprobs: [] }] } })),
    ).toThrow(/logprobs.content\[0\].token: not a string/);
  });
});

describe('StreamCollector', () => {
  it('joins deltas, takes the finish reason and the usage chunk, ignores empty and role-only chunks', () => {
    const collector = new StreamCollector();
    const chunks = [
      { choices: [{ delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ delta: { content: 'Write a ' }, finish_reason: null }] },
      { choices: [{ delta: { content: 'python function' }, finish_reason: null }] },
      { choices: [{ delta: {}, finish_reason: 'length' }] },
      {
        choices: [],
        usage: {
          prompt_tokens: 40,
          completion_tokens: 2,
          extra: { prefill_tokens_per_s: 900, decode_tokens_per_s: 60 },
        },
      },
    ];
    expect(chunks.map((c) => collector.add(c))).toEqual(['', 'Write a ', 'python function', '', '']);
    expect(collector.result()).toEqual({
      text: 'Write a python function',
      logprobs: null,
      finishReason: 'length',
      usage: { promptTokens: 40, completionTokens: 2, prefillTokensPerSecond: 900, decodeTokensPerSecond: 60 },
    });
  });

  it('a chunk that is not an object is bad-response', () => {
    expect(() => new StreamCollector().add('data: [DONE]')).toThrow(expect.objectContaining({ code: 'bad-response' }));
  });
});
