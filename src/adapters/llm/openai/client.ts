/**
 * An LlmClient over an OpenAI-compatible server. Invariants:
 * - at most `capabilities.concurrency` requests in flight; later calls wait in order, and a call cancelled
 *   while waiting is never sent (servers batch what is in flight, so the setting is the user's to tune;
 *   browsers also open at most 6 HTTP/1.1 connections per server, which caps it below the setting there);
 * - `onToken` given means streaming, with usage asked for; otherwise one whole reply;
 * - topLogprobs is refused up front when the probe found no logprobs, and a reply that comes back without
 *   them fails 'unsupported' rather than passing on a result the caller cannot score;
 * - `n` is sent capped at `capabilities.maxChoices`, and the result holds what came back, in order, never
 *   more than asked: a server behind the same address may ignore `n` (Ollama does) even when the probe
 *   found one that did, and the caller asks again for the rest;
 * - a trailing assistant message is refused up front ('unsupported') when the probe found the server starts
 *   a new turn after it instead of continuing it;
 * - dispose() cancels calls in flight and waiting (they reject with an AbortError) and refuses new ones.
 */
import type { LlmClient } from '../../../core/ports.ts';
import {
  LlmError,
  chatResult,
  choicesToAsk,
  isPrefill,
  type ChatChoice,
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
    if (isPrefill(request) && !this.capabilities.continuesAssistant) throw noPrefill(this.capabilities.model);
    const n = choicesToAsk(request, this.capabilities.maxChoices, options.onToken !== undefined);
    const signal = options.signal ? AbortSignal.any([options.signal, this.#disposed.signal]) : this.#disposed.signal;
    return this.#gate.run(() => this.#send(request, n, options.onToken, signal), signal);
  }

  async dispose(): Promise<void> {
    this.#disposed.abort(abortError());
  }

  async #send(
    request: ChatRequest,
    n: number,
    onToken: ChatOptions['onToken'],
    signal: AbortSignal,
  ): Promise<ChatResult> {
    const call: Call = { base: this.#endpoint.base, path: '/chat/completions', model: this.capabilities.model };
    const stream = onToken !== undefined;
    const sentAt = performance.now();
    const body = chatBody(this.capabilities.model, request, stream, n);
    // 'again': the probe in connect() already got through, so a failure now is not a CORS refusal.
    const response = await exchange(this.#endpoint, call, body, 'again', signal);
    const collected = stream
      ? await collectStream(response, call, onToken, signal)
      : await collectWhole(response, call, signal);
    const checked = (choice: ChatChoice): ChatChoice => {
      if (request.topLogprobs !== undefined && choice.text !== '' && !choice.logprobs?.length)
        throw noLogprobs(this.capabilities.model);
      return { ...choice, logprobs: request.topLogprobs === undefined ? null : choice.logprobs };
    };
    // Never more than asked, whatever the server sent.
    const [first, ...rest] = collected.choices;
    return chatResult([checked(first), ...rest.slice(0, n - 1).map(checked)], usageOf(collected, sentAt));
  }
}

function noPrefill(model: string): LlmError {
  return new LlmError(
    'unsupported',
    `The server starts a new answer after a started one instead of continuing it, for ${model}.`,
    'Use a server that continues it (vLLM, SGLang, llama-server, Ollama), or the step writes its opener into the question.',
  );
}

function noLogprobs(model: string): LlmError {
  return new LlmError(
    'unsupported',
    `The server returns no logprobs for ${model}, which this step needs to score answers.`,
    'Use a server that returns logprobs (vLLM, llama-server, SGLang, Ollama 0.12.11 or later) or the in-browser engine.',
  );
}
