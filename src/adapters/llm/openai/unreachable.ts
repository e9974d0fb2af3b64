/**
 * A fetch that failed before any reply, as an LlmError. In a browser a CORS refusal, a closed port and an
 * unknown host all reject with the same bare TypeError (on purpose: a page must not probe networks), so
 * the only thing to go by is where the page and the server are:
 * - 'cors' when the page has an origin and the server has another one, and this is the first contact
 *   (models() or connect()): the message names the setting that allows the page's origin on the server it
 *   looks like (by its default port) and says it may simply not be running;
 * - 'network' otherwise: no page (Node), the same origin, or a client that has already talked to the
 *   server, which can no longer be refused for its origin; it is retryable (a restart, a dropped link).
 * An https page cannot call an http server that is not on this machine at all (mixed content), whatever
 * the server allows; that is said instead, because no CORS setting fixes it.
 */
import { LlmError } from '../../../domain/llm.ts';

export type Contact = 'first' | 'again';

export function unreachable(base: string, contact: Contact, cause: unknown): LlmError {
  const server = new URL(base);
  const page = pageOrigin();
  if (page?.startsWith('https:') && server.protocol === 'http:' && !isLoopback(server.hostname))
    return new LlmError(
      'network',
      `This page is served over https, so the browser does not let it call ${base} over plain http.`,
      'Serve the API over https (e.g. behind a reverse proxy), or run Semiverse from http://localhost.',
      false,
      { cause },
    );
  if (contact === 'first' && page !== null && page !== server.origin)
    return new LlmError(
      'cors',
      `No answer from ${base}: either no server is running there, or it does not allow requests from this ` +
        `page (${page}); the browser blocks those (CORS) and cannot tell the two apart.`,
      corsAction(server, page),
      false,
      { cause },
    );
  return new LlmError(
    'network',
    contact === 'first' ? `Could not reach the server at ${base}.` : `Lost the connection to the server at ${base}.`,
    'Check that the server is running at this address and reachable from this computer, then retry.',
    true,
    { cause },
  );
}

/** What allows this page's origin, for the server a default port suggests; all of them when unknown. */
function corsAction(server: URL, page: string): string {
  const start = 'Check that the server is running, and';
  switch (server.port) {
    case '11434':
      return `${start} if it is Ollama, restart it with OLLAMA_ORIGINS=${page} in its environment.`;
    case '1234':
      return `${start} if it is LM Studio, turn on "Enable CORS" in its server settings.`;
    case '8000':
      return `${start} if it is vLLM started with --allowed-origins, add ${page} to that list.`;
    case '8080':
      return `${start} if it is llama-server (which allows every origin), that no proxy in front of it drops its CORS headers.`;
    default:
      return (
        `${start} that it allows the origin ${page}: OLLAMA_ORIGINS=${page} for Ollama, "Enable CORS" in LM ` +
        `Studio's server settings, --allowed-origins for vLLM; llama-server allows every origin ` +
        `unless a proxy in front of it drops the headers.`
      );
  }
}

function pageOrigin(): string | null {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  // A sandboxed or file: page has the origin "null": it still sends CORS requests, as Origin: null.
  return typeof origin === 'string' ? origin : null;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '[::1]';
}
