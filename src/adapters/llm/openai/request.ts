/**
 * A ChatRequest as the body of `POST /chat/completions`. Only what the request sets is sent, so each server
 * applies its own defaults to the rest (and servers that reject fields they do not know, like OpenAI's own
 * with `repetition_penalty`, only see them when asked for).
 *
 * JSON Schema goes as `response_format: {type: "json_schema", json_schema: {name, schema, strict}}`, the
 * OpenAI form that vLLM, SGLang, llama-server, Ollama and LM Studio accept. A server may still ignore it,
 * so `capabilities.jsonSchema` means "asked for", never "guaranteed": callers validate the JSON they get.
 *
 * `n` goes only when it is more than 1. A trailing assistant message (prefill) goes with vLLM's and SGLang's
 * `continue_final_message: true, add_generation_prompt: false`, without which they start a new turn after
 * it; llama-server and Ollama continue such a message by themselves and ignore the two fields.
 */
import { isPrefill, type ChatRequest } from '../../../domain/llm.ts';

/** `n`: completions to ask for (already checked and capped by the client). */
export function chatBody(model: string, request: ChatRequest, stream: boolean, n = 1): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages: request.messages, stream };
  if (n > 1) body['n'] = n;
  if (isPrefill(request)) {
    body['continue_final_message'] = true;
    body['add_generation_prompt'] = false;
  }
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  if (request.topP !== undefined) body['top_p'] = request.topP;
  if (request.maxTokens !== undefined) body['max_tokens'] = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) body['stop'] = request.stop;
  if (request.seed !== undefined) body['seed'] = request.seed;
  if (request.repetitionPenalty !== undefined) body['repetition_penalty'] = request.repetitionPenalty;
  if (request.topLogprobs !== undefined) {
    body['logprobs'] = true;
    body['top_logprobs'] = request.topLogprobs;
  }
  if (request.jsonSchema !== undefined)
    body['response_format'] = {
      type: 'json_schema',
      json_schema: { name: 'response', schema: request.jsonSchema, strict: true },
    };
  // Without this, servers send no usage in a stream (vLLM, llama-server and Ollama honour it).
  if (stream) body['stream_options'] = { include_usage: true };
  return body;
}

/**
 * The smallest request that shows whether the model exists and whether logprobs come back: one token,
 * greedy, with its best alternative.
 */
export function probeBody(model: string, withLogprobs: boolean): Record<string, unknown> {
  return chatBody(
    model,
    {
      messages: [{ role: 'user', content: 'Say yes.' }],
      maxTokens: 1,
      temperature: 0,
      ...(withLogprobs ? { topLogprobs: 1 } : {}),
    },
    false,
  );
}

/**
 * Whether `n` is honoured: one token in each of two completions (two choices back: yes). Sampled at the
 * server's default temperature, since older vLLM refuses n > 1 when greedy.
 */
export function choicesProbeBody(model: string): Record<string, unknown> {
  return chatBody(model, { messages: [{ role: 'user', content: 'Say yes.' }], maxTokens: 1 }, false, 2);
}

/**
 * Whether a trailing assistant message is continued: the model is asked to repeat a list of words and its
 * answer is started for it. A server that continues replies with the next word; one that starts a new turn
 * replies with the list from its start, or with something else. A server that echoes the started part
 * counts as not continuing, which is safe: the pipeline then writes its opener into the question.
 */
export const PREFILL_PROBE = {
  user: 'Repeat these words exactly: alpha bravo charlie delta echo foxtrot',
  started: 'alpha bravo charlie',
  next: 'delta',
} as const;

/** Greedy, a few tokens: enough for the next word. */
export function prefillProbeBody(model: string): Record<string, unknown> {
  return chatBody(
    model,
    {
      messages: [
        { role: 'user', content: PREFILL_PROBE.user },
        { role: 'assistant', content: PREFILL_PROBE.started },
      ],
      maxTokens: 4,
      temperature: 0,
    },
    false,
  );
}

/** Whether a reply to prefillProbeBody continued the started answer. */
export function continuedProbe(text: string): boolean {
  return new RegExp(`^\\s*${PREFILL_PROBE.next}\\b`, 'i').test(text);
}
