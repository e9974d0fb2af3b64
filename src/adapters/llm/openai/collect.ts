/**
 * Turns a reply, whole or streamed, into one Collected value. Invariants for a stream: pieces reach
 * `onToken` in order and concatenate to `text`; `[DONE]` ends it; an `error` object in the stream is the
 * server's failure (its status code when it gives one, else 'server'); a body that ends without `[DONE]`
 * and without a finish reason was cut short ('bad-response'); a body whose connection breaks is a lost
 * connection ('network', retryable: the server or a proxy dropped it, nothing it said was malformed).
 */
import type { ChatChoice } from '../../../domain/llm.ts';
import { abortError } from './gate.ts';
import { readJson } from './http.ts';
import { badResponse, statusError, type Call } from './httpErrors.ts';
import { parsePiece, parseReply, type ReplyChoice, type ServerTimings, type ServerUsage } from './parse.ts';
import { readEvents, type SseEvent } from './sse.ts';
import { unreachable } from './unreachable.ts';

export type Collected = {
  /** What the server sent, in order; a stream has exactly one. */
  choices: [ChatChoice, ...ChatChoice[]];
  usage: ServerUsage | null;
  timings: ServerTimings | null;
  /** performance.now() of the first and last piece of text; null without streaming. */
  firstTextAt: number | null;
  lastTextAt: number | null;
  /** Pieces of text received: a token count when the server reports no usage. */
  pieces: number;
};

export async function collectWhole(response: Response, call: Call, signal?: AbortSignal): Promise<Collected> {
  const { choices, usage, timings } = parseReply(await readJson(response, call.base, signal));
  const finished = (choice: ReplyChoice): ChatChoice => ({ ...choice, finishReason: choice.finishReason ?? 'other' });
  const [first, ...rest] = choices;
  return {
    choices: [finished(first), ...rest.map(finished)],
    usage,
    timings,
    firstTextAt: null,
    lastTextAt: null,
    pieces: 0,
  };
}

export async function collectStream(
  response: Response,
  call: Call,
  onToken: (delta: string) => void,
  signal?: AbortSignal,
): Promise<Collected> {
  // A server that ignores `stream: true` answers with one JSON reply: take it, as one piece.
  if (!response.headers.get('content-type')?.includes('text/event-stream') || !response.body) {
    const whole = await collectWhole(response, call, signal);
    const [first] = whole.choices;
    if (first.text !== '') onToken(first.text);
    return { ...whole, choices: [first] };
  }
  const choice: ChatChoice = { text: '', logprobs: null, finishReason: 'other' };
  const out: Collected = {
    choices: [choice],
    usage: null,
    timings: null,
    firstTextAt: null,
    lastTextAt: null,
    pieces: 0,
  };
  let finished = false;
  const events = readEvents(response.body);
  try {
    for (;;) {
      let next: IteratorResult<SseEvent>;
      try {
        next = await events.next();
      } catch (error) {
        if (signal?.aborted) throw abortError();
        throw unreachable(call.base, 'again', error);
      }
      if (next.done) break;
      if (next.value.data === '[DONE]') {
        finished = true;
        break;
      }
      const piece = parsePiece(streamedJson(next.value.data, call));
      if (piece.text !== '') {
        const now = performance.now();
        out.firstTextAt ??= now;
        out.lastTextAt = now;
        out.pieces += 1;
        choice.text += piece.text;
        onToken(piece.text);
      }
      if (piece.logprobs) (choice.logprobs ??= []).push(...piece.logprobs);
      if (piece.finishReason) [finished, choice.finishReason] = [true, piece.finishReason];
      out.usage = piece.usage ?? out.usage;
      out.timings = piece.timings ?? out.timings;
    }
  } finally {
    // Leaving early (a [DONE], a bad chunk) cancels the body, so the connection is not left streaming.
    await events.return(undefined);
  }
  if (!finished) throw badResponse('the stream ended before the server said it was done');
  return out;
}

function streamedJson(data: string, call: Call): unknown {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (cause) {
    throw badResponse(`a streamed chunk is not JSON (${JSON.stringify(data.slice(0, 60))})`, { cause });
  }
  // vLLM and llama-server report a failure after the 200 status as an `error` object in the stream.
  if (typeof json === 'object' && json !== null && 'error' in json) {
    const error = (json as { error: unknown }).error;
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    const status = typeof code === 'number' && code >= 400 && code < 600 ? code : 500;
    throw statusError(status, data, call);
  }
  return json;
}
