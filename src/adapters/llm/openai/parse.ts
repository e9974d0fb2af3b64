/**
 * Replies of an OpenAI-compatible server, validated at the boundary. Each parser returns typed data or
 * throws LlmError 'bad-response' naming the first field that does not fit; nothing a server sends reaches
 * the pipeline unchecked. The same shape serves a whole reply (`message`) and a streamed chunk (`delta`).
 */
import type { FinishReason, TokenLogprob, TopLogprob } from '../../../domain/llm.ts';
import { ShapeError, asString, int, list, obj, str, type Obj } from '../../../lib/guard.ts';
import { badResponse } from './httpErrors.ts';

export type ServerUsage = { promptTokens: number; completionTokens: number };
/** llama-server's own measurements (`timings`); other servers send none. */
export type ServerTimings = { promptPerSecond: number | null; decodePerSecond: number | null };

export type Piece = {
  text: string;
  logprobs: TokenLogprob[] | null;
  /** Null while a stream goes on, or when the server did not say. */
  finishReason: FinishReason | null;
  usage: ServerUsage | null;
  timings: ServerTimings | null;
};

/** A whole reply (`message`) or one streamed chunk (`delta`, where `choices` may be empty). */
export function parsePiece(json: unknown, streamed: boolean): Piece {
  return guarded(() => {
    const root = obj(json, 'reply');
    const choices = list(root, 'choices', 'reply', obj);
    const choice = choices[0];
    if (!choice && !streamed) throw new ShapeError('reply.choices: empty');
    const usage = root['usage'] == null ? null : parseUsage(obj(root['usage'], 'reply.usage'));
    const timings = root['timings'] == null ? null : parseTimings(root['timings']);
    if (!choice) return { text: '', logprobs: null, finishReason: null, usage, timings };
    const path = 'reply.choices[0]';
    const key = streamed ? 'delta' : 'message';
    // Some servers leave `delta` out of a stream's last chunk (the one with finish_reason).
    const message = streamed && choice[key] == null ? {} : obj(choice[key], `${path}.${key}`);
    // content is null in a role-only chunk, or when a reasoning model has only thought so far.
    const text = message['content'] == null ? '' : str(message, 'content', path);
    const logprobs = choice['logprobs'] == null ? null : parseLogprobs(obj(choice['logprobs'], `${path}.logprobs`));
    const finishReason = choice['finish_reason'] == null ? null : finish(str(choice, 'finish_reason', path));
    return { text, logprobs, finishReason, usage, timings };
  });
}

/** The ids of `GET /models` (`{data: [{id}]}`), without repeats, in the server's order. */
export function parseModels(json: unknown): string[] {
  return guarded(() => {
    const ids = list(obj(json, 'models'), 'data', 'models', (entry, path) => str(obj(entry, path), 'id', path));
    return [...new Set(ids)];
  });
}

function parseLogprobs(o: Obj): TokenLogprob[] | null {
  if (o['content'] == null) return null;
  return list(o, 'content', 'logprobs', (entry, path) => {
    const e = obj(entry, path);
    const top = e['top_logprobs'] == null ? [] : list(e, 'top_logprobs', path, alternative);
    return { token: str(e, 'token', path), logprob: num(e, 'logprob', path), top };
  });
}

function alternative(value: unknown, path: string): TopLogprob {
  const o = obj(value, path);
  return { token: asString(o['token'], `${path}.token`), logprob: num(o, 'logprob', path) };
}

function parseUsage(o: Obj): ServerUsage {
  return { promptTokens: int(o, 'prompt_tokens', 'usage'), completionTokens: int(o, 'completion_tokens', 'usage') };
}

/** A server extension, so a field that does not fit is dropped rather than failing the reply it rides on. */
function parseTimings(value: unknown): ServerTimings {
  const o = typeof value === 'object' && value !== null ? (value as Obj) : {};
  const rate = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
  return { promptPerSecond: rate(o['prompt_per_second']), decodePerSecond: rate(o['predicted_per_second']) };
}

function finish(reason: string): FinishReason {
  // llama-server and vLLM say 'stop' for an end-of-sequence token and for a stop string alike.
  return reason === 'stop' || reason === 'length' ? reason : 'other';
}

function num(o: Obj, key: string, path: string): number {
  const value = o[key];
  if (typeof value !== 'number' || Number.isNaN(value)) throw new ShapeError(`${path}.${key}: not a number`);
  return value;
}

function guarded<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ShapeError) throw badResponse(error.message, { cause: error });
    throw error;
  }
}
