/**
 * Where the OpenAI-compatible API lives, from what a person types. Invariants: the result is an absolute
 * http(s) URL without a trailing slash, without query or fragment, to which `/models` and
 * `/chat/completions` are appended.
 *
 * The rule: a bare origin ("http://localhost:11434", with or without "/") gets "/v1", which is where
 * Ollama, LM Studio, llama-server, vLLM and SGLang all serve the API; any other path is kept as typed
 * (minus trailing slashes), because hosted APIs and proxies put it elsewhere ("/api/v1",
 * "/v1beta/openai"), and guessing there would turn a right URL into a wrong one.
 */
import { LlmError } from '../../../domain/llm.ts';

export function apiBase(typed: string): string {
  let url: URL;
  try {
    url = new URL(typed.trim());
  } catch (cause) {
    throw invalid(typed, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(typed);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path === '' ? '/v1' : path}`;
}

function invalid(typed: string, options?: { cause?: unknown }): LlmError {
  return new LlmError(
    'bad-request',
    `"${typed.slice(0, 200)}" is not a server address.`,
    'Enter the address the server prints when it starts, e.g. http://localhost:11434 for Ollama.',
    false,
    options,
  );
}
