/**
 * The ServerConnector for OpenAI-compatible servers (Ollama, LM Studio, llama-server, vLLM, SGLang).
 * models() lists what `GET /models` offers; connect() sends tiny probes and returns a client sized to the
 * user's concurrency. The first probe (one greedy token, with its top logprob) shows the model answers and
 * whether logprobs come back; then, side by side, one asks for two completions (`n`) and one asks the model
 * to continue a started answer (request.ts). Servers differ on both and say nothing about it, so what they
 * do is what counts. Base URLs are normalised by apiBase() (baseUrl.ts): "http://host:11434" and
 * "http://host:11434/v1/" mean the same server.
 */
import type { LlmClient, ServerConnector, ServerSettings } from '../../../core/ports.ts';
import { LlmError, isLlmError } from '../../../domain/llm.ts';
import { apiBase } from './baseUrl.ts';
import { OpenAiClient } from './client.ts';
import { exchange, readJson, type Endpoint, type FetchLike } from './http.ts';
import { parseModels, parseReply } from './parse.ts';
import { choicesProbeBody, continuedProbe, prefillProbeBody, probeBody } from './request.ts';

/**
 * The most completions one request asks for where the server honours `n`. Inverse-Instruct asks K per
 * function (5 by default, 10 in the paper); a bigger K takes more than one request, so no single reply
 * holds an unbounded number of sequences.
 */
export const SERVER_MAX_CHOICES = 16;

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
      const [choices, continues] = await Promise.all([
        probeChoices(at, model, signal),
        probePrefill(at, model, signal),
      ]);
      return new OpenAiClient(at, {
        engine: 'openai',
        model,
        concurrency: clampConcurrency(settings.concurrency),
        logprobs,
        // Asked for with every jsonSchema request; servers may ignore it, so callers validate (request.ts).
        jsonSchema: true,
        maxChoices: choices > 1 ? SERVER_MAX_CHOICES : 1,
        choicesShareThePrompt: choices > 1,
        continuesAssistant: continues,
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
    const reply = parseReply(await readJson(response, at.base, signal));
    return (reply.choices[0].logprobs?.[0]?.top.length ?? 0) > 0;
  } catch (error) {
    if (!isLlmError(error) || error.code !== 'bad-request') throw error;
    const response = await exchange(at, call, probeBody(model, false), 'first', signal);
    parseReply(await readJson(response, at.base, signal));
    return false;
  }
}

/** How many completions came back for two asked (Ollama ignores `n`: one); 1 when the server refuses `n`. */
async function probeChoices(at: Endpoint, model: string, signal: AbortSignal | undefined): Promise<number> {
  const reply = await unlessRefused(() => send(at, model, choicesProbeBody(model), signal));
  return reply?.choices.length ?? 1;
}

/**
 * Whether the server continued a started answer rather than starting a new one. A server that refuses the
 * fields that ask for it (OpenAI's own rejects fields it does not know) does not continue.
 */
async function probePrefill(at: Endpoint, model: string, signal: AbortSignal | undefined): Promise<boolean> {
  const reply = await unlessRefused(() => send(at, model, prefillProbeBody(model), signal));
  return reply !== null && continuedProbe(reply.choices[0].text);
}

async function send(at: Endpoint, model: string, body: Record<string, unknown>, signal: AbortSignal | undefined) {
  const call = { base: at.base, path: '/chat/completions', model } as const;
  const response = await exchange(at, call, body, 'again', signal);
  return parseReply(await readJson(response, at.base, signal));
}

/** A 400/422 (the server rejects a field) is an answer: null. Anything else is a failure to connect. */
async function unlessRefused<T>(ask: () => Promise<T>): Promise<T | null> {
  try {
    return await ask();
  } catch (error) {
    if (isLlmError(error) && error.code === 'bad-request') return null;
    throw error;
  }
}

/** Servers batch what is in flight; 64 is far past what one page can use (see client.ts) and stops typos. */
function clampConcurrency(value: number): number {
  return Number.isFinite(value) ? Math.min(64, Math.max(1, Math.floor(value))) : 1;
}
