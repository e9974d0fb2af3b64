/**
 * One HTTP exchange with the server. Invariants: a cancelled call rejects with an AbortError, whatever the
 * platform threw; every other failure is an LlmError (a fetch that got no reply goes to unreachable(), an
 * error status to statusError()); a reply returned from here has a 2xx status.
 */
import { abortError } from './gate.ts';
import { badResponse, statusError, type Call } from './httpErrors.ts';
import { unreachable, type Contact } from './unreachable.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;
export type Endpoint = { fetch: FetchLike; base: string; apiKey: string };

/** An error page is read this far: enough for any real message, bounded for a server that misbehaves. */
const ERROR_BODY_BYTES = 64 * 1024;

export async function exchange(
  endpoint: Endpoint,
  call: Call,
  body: unknown,
  contact: Contact,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const headers: Record<string, string> = {};
  // Only when set: an Authorization header makes every request need a CORS preflight.
  if (endpoint.apiKey !== '') headers['Authorization'] = `Bearer ${endpoint.apiKey}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await endpoint.fetch(`${endpoint.base}${call.path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw abortError();
    throw unreachable(endpoint.base, contact, error);
  }
  if (!response.ok) throw statusError(response.status, await errorText(response, signal), call);
  return response;
}

/** A whole JSON reply. A body cut off halfway is a lost connection, one that is not JSON a bad response. */
export async function readJson(response: Response, base: string, signal: AbortSignal | undefined): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw abortError();
    throw unreachable(base, 'again', error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw badResponse(`not JSON (starts with ${JSON.stringify(text.slice(0, 60))})`, { cause });
  }
}

async function errorText(response: Response, signal: AbortSignal | undefined): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < ERROR_BODY_BYTES) {
      const next = await reader.read();
      if (next.done) return text + decoder.decode();
      text += decoder.decode(next.value, { stream: true });
    }
    await reader.cancel();
  } catch {
    // A body that breaks off loses only the server's words: the status still says what went wrong.
    if (signal?.aborted) throw abortError();
  }
  return text;
}
