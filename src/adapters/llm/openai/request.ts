/**
 * A ChatRequest as the body of `POST /chat/completions`. Only what the request sets is sent, so each server
 * applies its own defaults to the rest (and servers that reject fields they do not know, like OpenAI's own
 * with `repetition_penalty`, only see them when asked for).
 *
 * JSON Schema goes as `response_format: {type: "json_schema", json_schema: {name, schema, strict}}`, the
 * OpenAI form that vLLM, SGLang, llama-server, Ollama and LM Studio accept. A server may still ignore it,
 * so `capabilities.jsonSchema` means "asked for", never "guaranteed": callers validate the JSON they get.
 */
import type { ChatRequest } from '../../../domain/llm.ts';

export function chatBody(model: string, request: ChatRequest, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages: request.messages, stream };
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
