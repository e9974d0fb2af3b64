/**
 * The ServerConnector for OpenAI-compatible servers (Ollama, LM Studio, llama-server, vLLM, SGLang).
 * models() lists what `GET /models` offers; connect() sends one tiny probe (one greedy token, with its top
 * logprob) that shows the model answers and whether logprobs come back, and returns a client sized to the
 * user's concurrency. Base URLs are normalised by apiBase() (baseUrl.ts): "http://host:11434" and
 * "http://host:11434/v1/" mean the same server.
 */
import type { LlmClient, ServerConnector, ServerSettings } from '../../../core/ports.ts';
import { LlmError, isLlmError } from '../../../domain/llm.ts';
import { apiBase } from './baseUrl.ts';
import { OpenAiClient } from './client.ts';
import { exchange, readJson, type Endpoint, type FetchLike } from './http.ts';
import { parseModels, parsePiece } from './parse.ts';
import { probeBody } from './request.ts';

/** Calls the global fetch late and unbound: a stored `window.fetch` called as a method throws in browsers. */
const globalFetch: FetchLike = (url, init) => fetch(url, init);

export function createServerConnector(fetchImpl: FetchLike = globalFetch): ServerConnector {
  const endpoint = (settings: Pick<ServerSettings, 'baseUrl' | 'apiKey'>): Endpoint => ({
    fetch: fetchImpl,
    base: apiBase(settings.baseUrl),
    apiKey: settings.apiKey.trim(),
  });

  return {
    async models(settings, signal) {
      const at = endpoint(settings);
      const response = await exchange(at, { base: at.base, path: '/models', model: null }, undefined, 'first', signal);
      return parseModels(await readJson(response, at.base, signal));
    },

    async connect(settings, signal): Promise<LlmClient> {
      const at = endpoint(settings);
      const model = settings.model.trim();
      if (model === '')
        throw new LlmError('bad-request', 'No model is chosen.', 'Pick one of the models the server lists.');
      const logprobs = await probe(at, model, signal);
      return new OpenAiClient(at, {
        engine: 'openai',
        model,
        concurrency: clampConcurrency(settings.concurrency),
        logprobs,
        // Asked for with every jsonSchema request; servers may ignore it, so callers validate (request.ts).
        jsonSchema: true,
      });
    },
  };
}

/**
 * Whether logprobs come back, after checking the model answers at all. A server that rejects the logprobs
 * fields (400/422) is asked again without them, so such a server still connects, without logprobs.
 */
async function probe(at: Endpoint, model: string, signal: AbortSignal | undefined): Promise<boolean> {
  const call = { base: at.base, path: '/chat/completions', model } as const;
  try {
    const response = await exchange(at, call, probeBody(model, true), 'first', signal);
    const piece = parsePiece(await readJson(response, at.base, signal), false);
    return (piece.logprobs?.[0]?.top.length ?? 0) > 0;
  } catch (error) {
    if (!isLlmError(error) || error.code !== 'bad-request') throw error;
    const response = await exchange(at, call, probeBody(model, false), 'first', signal);
    parsePiece(await readJson(response, at.base, signal), false);
    return false;
  }
}

/** Servers batch what is in flight; 64 is far past what one page can use (see client.ts) and stops typos. */
function clampConcurrency(value: number): number {
  return Number.isFinite(value) ? Math.min(64, Math.max(1, Math.floor(value))) : 1;
}
