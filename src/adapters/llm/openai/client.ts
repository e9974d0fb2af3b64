/**
 * An LlmClient over an OpenAI-compatible server. Invariants:
 * - at most `capabilities.concurrency` requests in flight; later calls wait in order, and a call cancelled
 *   while waiting is never sent (servers batch what is in flight, so the setting is the user's to tune;
 *   browsers also open at most 6 HTTP/1.1 connections per server, which caps it below the setting there);
 * - `onToken` given means streaming, with usage asked for; otherwise one whole reply;
 * - topLogprobs is refused up front when the probe found no logprobs, and a reply that comes back without
 *   them fails 'unsupported' rather than passing on a result the caller cannot score;
 * - dispose() cancels calls in flight and waiting (they reject with an AbortError) and refuses new ones.
 */
import type { LlmClient } from '../../../core/ports.ts';
import {
  LlmError,
  type ChatOptions,
  type ChatRequest,
  type ChatResult,
  type LlmCapabilities,
} from '../../../domain/llm.ts';
import { collectStream, collectWhole } from './collect.ts';
import { Gate, abortError } from './gate.ts';
import { exchange, type Endpoint } from './http.ts';
import type { Call } from './httpErrors.ts';
import { chatBody } from './request.ts';
import { usageOf } from './speed.ts';

export class OpenAiClient implements LlmClient {
  readonly capabilities: LlmCapabilities;
  #endpoint: Endpoint;
  #gate: Gate;
  #disposed = new AbortController();

  constructor(endpoint: Endpoint, capabilities: LlmCapabilities) {
    this.#endpoint = endpoint;
    this.capabilities = capabilities;
    this.#gate = new Gate(capabilities.concurrency);
  }

  async chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResult> {
    if (this.#disposed.signal.aborted)
      throw new LlmError('not-loaded', 'This server connection was closed.', 'Connect to the server again.');
    if (request.topLogprobs !== undefined && !this.capabilities.logprobs) throw noLogprobs(this.capabilities.model);
    const signal = options.signal ? AbortSignal.any([options.signal, this.#disposed.signal]) : this.#disposed.signal;
    return this.#gate.run(() => this.#send(request, options.onToken, signal), signal);
  }

  async dispose(): Promise<void> {
    this.#disposed.abort(abortError());
  }

  async #send(request: ChatRequest, onToken: ChatOptions['onToken'], signal: AbortSignal): Promise<ChatResult> {
    const call: Call = { base: this.#endpoint.base, path: '/chat/completions', model: this.capabilities.model };
    const stream = onToken !== undefined;
    const sentAt = performance.now();
    const body = chatBody(this.capabilities.model, request, stream);
    // 'again': the probe in connect() already got through, so a failure now is not a CORS refusal.
    const response = await exchange(this.#endpoint, call, body, 'again', signal);
    const collected = stream
      ? await collectStream(response, call, onToken, signal)
      : await collectWhole(response, call, signal);
    if (request.topLogprobs !== undefined && collected.text !== '' && !collected.logprobs?.length)
      throw noLogprobs(this.capabilities.model);
    return {
      text: collected.text,
      logprobs: request.topLogprobs === undefined ? null : collected.logprobs,
      finishReason: collected.finishReason,
      usage: usageOf(collected, sentAt),
    };
  }
}

function noLogprobs(model: string): LlmError {
  return new LlmError(
    'unsupported',
    `The server returns no logprobs for ${model}, which this step needs to score answers.`,
    'Use a server that returns logprobs (vLLM, llama-server, SGLang, Ollama 0.12.11 or later) or the in-browser engine.',
  );
}
