/**
 * An HTTP error status from the server, as an LlmError. The code comes from the status alone; the server's
 * own words (the `error.message` of its JSON body, in whichever of the shapes OpenAI, vLLM, llama-server,
 * Ollama or FastAPI use) only go into the message, capped, so a huge or hostile body cannot flood the UI.
 */
import { LlmError } from '../../../domain/llm.ts';

/** Enough for a validation error's first lines; error bodies can be whole HTML pages or stack traces. */
const DETAIL_CHARS = 300;

export type Call = { base: string; path: '/models' | '/chat/completions'; model: string | null };

export function statusError(status: number, body: string, call: Call): LlmError {
  const said = serverWords(body);
  const detail = said ? `: ${said}` : '.';
  const http = `HTTP ${status}`;
  if (status === 401 || status === 403)
    return new LlmError(
      'auth',
      `The server at ${call.base} refused the request (${http}, no or wrong API key)${detail}`,
      'Enter the API key the server expects in the server settings, or leave it empty for a server that needs none.',
    );
  if (status === 404 && call.path === '/models')
    return new LlmError(
      'unsupported',
      `The server at ${call.base} does not list its models (${http} for ${call.path})${detail}`,
      'Type the model name yourself, or check the address (for most servers it ends in /v1).',
    );
  if (status === 404)
    return new LlmError(
      'model-not-found',
      `The server at ${call.base} has no model "${call.model ?? ''}" (${http})${detail}`,
      'Pick a model the server lists, or load it on the server first (e.g. ollama pull).',
    );
  if (status === 429)
    return new LlmError(
      'rate-limit',
      `The server is overloaded or rate-limited (${http})${detail}`,
      'Wait a moment and retry, or lower the concurrency setting.',
      true,
    );
  if (status >= 500)
    return new LlmError(
      'server',
      `The server failed on this request (${http})${detail}`,
      "Retry; if it keeps failing, look at the server's log (it may be out of memory or have lost the model).",
      true,
    );
  if (status >= 400)
    return new LlmError(
      'bad-request',
      `The server rejected the request (${http})${detail}`,
      "Check the model and its settings against the server's message.",
    );
  return badResponse(`unexpected ${http} from ${call.path}`);
}

export function badResponse(detail: string, options?: { cause?: unknown }): LlmError {
  return new LlmError(
    'bad-response',
    `The server's reply is not what an OpenAI-compatible API sends: ${cap(detail)}.`,
    'Check that the address points at an OpenAI-compatible API (for most servers it ends in /v1).',
    false,
    options,
  );
}

/** The server's message from its error body: JSON in the common shapes, else the text itself. */
function serverWords(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return cap(body);
  }
  return cap(pick(json) ?? body);
}

function pick(json: unknown): string | null {
  if (typeof json === 'string') return json;
  if (typeof json !== 'object' || json === null) return null;
  const o = json as Record<string, unknown>;
  // OpenAI, llama-server, Ollama, new vLLM: {error: {message}}; old vLLM: {message}; FastAPI: {detail}.
  return pick(o['error']) ?? str(o['message']) ?? (o['detail'] === undefined ? null : JSON.stringify(o['detail']));
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function cap(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > DETAIL_CHARS ? `${flat.slice(0, DETAIL_CHARS)}…` : flat;
}
