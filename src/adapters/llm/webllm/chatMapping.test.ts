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

  it('asks for n only when it is more than 1', () => {
    const request = { messages: [{ role: 'user' as const, content: 'u' }] };
    expect(toEngineRequest(request, false, 4)).toMatchObject({ n: 4, stream: false });
    expect(toEngineRequest(request, false, 1)).not.toHaveProperty('n');
    expect(toEngineRequest(request, false)).not.toHaveProperty('n');
  });

  it('refuses a trailing assistant message as unsupported (web-llm wants the user’s last)', () => {
    const prefilled = {
      messages: [
        { role: 'user' as const, content: 'Describe this code.' },
        { role: 'assistant' as const, content: 'Write a python function' },
      ],
    };
    expect(() => toEngineRequest(prefilled, false)).toThrow(expect.objectContaining({ code: 'unsupported' }));
    // An assistant turn earlier in the conversation is an ordinary message.
    const earlier = { messages: [...prefilled.messages, { role: 'user' as const, content: 'Again.' }] };
    expect(toEngineRequest(earlier, false).messages).toEqual(earlier.messages);
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
      choices: [
        {
          text: '',
          finishReason: 'other',
          logprobs: [{ token: 'a', logprob: -1, top: [{ token: 'b', logprob: -Infinity }] }],
        },
      ],
      usage: { promptTokens: 3, completionTokens: 0, prefillTokensPerSecond: 10, decodeTokensPerSecond: null },
    });
  });

  it('an interrupted generation says abort; a reply without usage counts nothing', () => {
    expect(parseCompletion(reply({ finish_reason: 'abort', message: { content: 'par' } }))).toMatchObject({
      choices: [{ text: 'par', finishReason: 'abort' }],
      usage: { promptTokens: 0, prefillTokensPerSecond: null },
    });
  });

  it('reads every choice of an n > 1 reply, in order, with its own logprobs', () => {
    const choice = (content: string, finish: string, token: string) => ({
      finish_reason: finish,
      message: { role: 'assistant', content },
      logprobs: { content: [{ token, logprob: -0.5, top_logprobs: [] }] },
    });
    const result = parseCompletion({
      choices: [choice('Write a', 'stop', 'Write'), choice('Create a', 'length', 'Create'), choice('', 'abort', 'x')],
      usage: { prompt_tokens: 90, completion_tokens: 6 },
    });
    expect(result.choices.map((c) => [c.text, c.finishReason, c.logprobs?.[0]?.token])).toEqual([
      ['Write a', 'stop', 'Write'],
      ['Create a', 'length', 'Create'],
      ['', 'abort', 'x'],
    ]);
    expect(result.usage).toMatchObject({ promptTokens: 90, completionTokens: 6 });
  });

  it('names the field of a reply that does not fit', () => {
    expect(() => parseCompletion({ choices: [] })).toThrow(/reply.choices: empty/);
    expect(() =>
      parseCompletion(reply({ message: { content: 'x' }, logprobs: { content: [{ token: 1, top_logprobs: [] }] } })),
    ).toThrow(/logprobs.content\[0\].token: not a string/);
    expect(() => parseCompletion({ choices: [{ message: { content: 'x' } }, { message: { content: 2 } }] })).toThrow(
      /reply.choices\[1\].message.content: not a string/,
    );
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
      choices: [{ text: 'Write a python function', logprobs: null, finishReason: 'length' }],
      usage: { promptTokens: 40, completionTokens: 2, prefillTokensPerSecond: 900, decodeTokensPerSecond: 60 },
    });
  });

  it('a chunk that is not an object is bad-response', () => {
    expect(() => new StreamCollector().add('data: [DONE]')).toThrow(expect.objectContaining({ code: 'bad-response' }));
  });
});
