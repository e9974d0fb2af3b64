/**
 * Replies of an OpenAI-compatible server, validated at the boundary. Each parser returns typed data or
 * throws LlmError 'bad-response' naming the first field that does not fit; nothing a server sends reaches
 * the pipeline unchecked. The same shape serves a whole reply (`message`, every choice) and a streamed
 * chunk (`delta`, one choice: streams are never asked for more).
 */
import type { ChatChoice, FinishReason, TokenLogprob, TopLogprob } from '../../../domain/llm.ts';
import { ShapeError, asString, int, intOrNull, list, obj, str, type Obj } from '../../../lib/guard.ts';
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

/** One streamed chunk (`delta`; `choices` may be empty, as in a usage-only chunk): its first choice. */
export function parsePiece(json: unknown): Piece {
  return guarded(() => {
    const root = obj(json, 'chunk');
    const choice = list(root, 'choices', 'chunk', obj)[0];
    const { usage, timings } = extras(root, 'chunk');
    if (!choice) return { text: '', logprobs: null, finishReason: null, usage, timings };
    return { ...parseChoice(choice, 'chunk.choices[0]', 'delta'), usage, timings };
  });
}

/** A completion as the server sent it: the finish reason is null when it did not say. */
export type ReplyChoice = Omit<ChatChoice, 'finishReason'> & { finishReason: FinishReason | null };

export type Reply = {
  /** In the order of their `index` (in the order sent where a server gives none). */
  choices: [ReplyChoice, ...ReplyChoice[]];
  usage: ServerUsage | null;
  timings: ServerTimings | null;
};

/** A whole reply (`message`): every choice it holds. */
export function parseReply(json: unknown): Reply {
  return guarded(() => {
    const root = obj(json, 'reply');
    const choices = list(root, 'choices', 'reply', (value, path) => {
      const choice = obj(value, path);
      return { index: intOrNull(choice, 'index', path), ...parseChoice(choice, path, 'message') };
    });
    const [first, ...rest] = choices
      .map((choice, at) => ({ ...choice, at }))
      .sort((a, b) => (a.index ?? a.at) - (b.index ?? b.at))
      .map(({ text, logprobs, finishReason }): ReplyChoice => ({ text, logprobs, finishReason }));
    if (!first) throw new ShapeError('reply.choices: empty');
    return { choices: [first, ...rest], ...extras(root, 'reply') };
  });
}

function parseChoice(choice: Obj, path: string, key: 'message' | 'delta'): ReplyChoice {
  // Some servers leave `delta` out of a stream's last chunk (the one with finish_reason).
  const message = key === 'delta' && choice[key] == null ? {} : obj(choice[key], `${path}.${key}`);
  // content is null in a role-only chunk, or when a reasoning model has only thought so far.
  const text = message['content'] == null ? '' : str(message, 'content', path);
  const logprobs = choice['logprobs'] == null ? null : parseLogprobs(obj(choice['logprobs'], `${path}.logprobs`));
  const finishReason = choice['finish_reason'] == null ? null : finish(str(choice, 'finish_reason', path));
  return { text, logprobs, finishReason };
}

function extras(root: Obj, path: string): Pick<Piece, 'usage' | 'timings'> {
  return {
    usage: root['usage'] == null ? null : parseUsage(obj(root['usage'], `${path}.usage`)),
    timings: root['timings'] == null ? null : parseTimings(root['timings']),
  };
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
