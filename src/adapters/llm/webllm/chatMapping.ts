/**
 * Our ChatRequest as web-llm's chat.completions request, and web-llm's replies back as a ChatResult.
 * Replies are untyped data for us (they cross a worker that runs model code paths we do not control):
 * every field read is checked, and a reply that does not fit is an LlmError('bad-response').
 *
 * web-llm 0.2.86 facts this relies on (docs/llm.md, "web-llm"; read in its source, lib/index.js): structured
 * output only through `{type: "json_object", schema: "<schema as a string>"}` (`{type: "json_schema"}` is
 * silently ignored); top_logprobs 0–5 and only with logprobs; usage.extra carries prefill/decode tokens per
 * second; an interrupted generation ends with finish_reason "abort"; `n` > 1 is refused with `stream: true`
 * (StreamingCountError), and without it the choices are generated one after another, each reading the
 * prompt again; the last message must be the user's or a tool's (MessageOrderError), so a trailing
 * assistant message cannot be continued.
 */
import type { ChatCompletionRequest, ChatCompletionRequestBase } from '@mlc-ai/web-llm';
import {
  LlmError,
  isPrefill,
  type ChatChoice,
  type ChatRequest,
  type ChatUsage,
  type FinishReason,
  type TokenLogprob,
} from '../../../domain/llm.ts';
import { ShapeError, obj, type Obj } from '../../../lib/guard.ts';

/** `n`: completions to ask for, already checked and capped by the client (1 whenever `stream`). */
export function toEngineRequest(request: ChatRequest, stream: boolean, n = 1): ChatCompletionRequest {
  if (isPrefill(request))
    throw new LlmError(
      'unsupported',
      'The in-browser engine cannot continue a started answer (its last message must be the user’s).',
      'Put the start of the answer into the question instead, or use a server that continues it.',
    );
  const top = request.topLogprobs;
  if (top !== undefined && !(Number.isInteger(top) && top >= 1 && top <= 5)) {
    throw new LlmError(
      'unsupported',
      `The in-browser engine returns 1 to 5 alternatives per token, not ${top}.`,
      'Ask for at most 5 top log-probabilities.',
    );
  }
  const base: ChatCompletionRequestBase = {
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    // Absent fields stay absent (the engine's defaults from the model's config apply), never `undefined`.
    ...defined({
      temperature: request.temperature,
      top_p: request.topP,
      max_tokens: request.maxTokens,
      stop: request.stop,
      seed: request.seed,
      repetition_penalty: request.repetitionPenalty,
    }),
    ...(n > 1 ? { n } : {}),
    ...(top !== undefined ? { logprobs: true, top_logprobs: top } : {}),
    ...(request.jsonSchema
      ? { response_format: { type: 'json_object', schema: JSON.stringify(request.jsonSchema) } }
      : {}),
  };
  return stream ? { ...base, stream: true, stream_options: { include_usage: true } } : { ...base, stream: false };
}

/** Only the fields that are set (see toEngineRequest). */
function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What a reply says about how generation ended; 'abort' is an interrupt (the client turns it into AbortError). */
export type EngineFinish = FinishReason | 'abort';

export type EngineChoice = Omit<ChatChoice, 'finishReason'> & { finishReason: EngineFinish };

/** Every choice, in order (at least one), and the usage of the whole request (all choices together). */
export type EngineResult = { choices: [EngineChoice, ...EngineChoice[]]; usage: ChatUsage };

export function parseCompletion(reply: unknown): EngineResult {
  return guarded(() => {
    const root = obj(reply, 'reply');
    const choices = root['choices'];
    if (!Array.isArray(choices) || choices.length === 0) throw new ShapeError('reply.choices: empty');
    const rest = choices.slice(1).map((value: unknown, i) => choiceOf(value, `reply.choices[${i + 1}]`));
    return { choices: [choiceOf(choices[0], 'reply.choices[0]'), ...rest], usage: usageOf(root['usage']) };
  });
}

function choiceOf(value: unknown, path: string): EngineChoice {
  const choice = obj(value, path);
  const message = obj(choice['message'], `${path}.message`);
  const content = message['content'];
  if (content !== null && content !== undefined && typeof content !== 'string')
    throw new ShapeError(`${path}.message.content: not a string`);
  return { text: content ?? '', logprobs: logprobsOf(choice, path), finishReason: finishOf(choice['finish_reason']) };
}

/** Collects a stream of chunks (deltas, then a final chunk with finish_reason, then one with usage). */
export class StreamCollector {
  #text = '';
  #finish: EngineFinish | null = null;
  #usage: ChatUsage = usageOf(undefined);

  /** Returns the new text of this chunk ('' when none). */
  add(chunk: unknown): string {
    return guarded(() => {
      const c = obj(chunk, 'chunk');
      if (c['usage'] !== undefined && c['usage'] !== null) this.#usage = usageOf(c['usage']);
      const choices = c['choices'];
      if (!Array.isArray(choices) || choices.length === 0) return '';
      const choice = obj(choices[0], 'chunk.choices[0]');
      if (choice['finish_reason'] !== null && choice['finish_reason'] !== undefined)
        this.#finish = finishOf(choice['finish_reason']);
      const delta = choice['delta'] === undefined ? {} : obj(choice['delta'], 'chunk.choices[0].delta');
      const piece = delta['content'];
      if (typeof piece !== 'string' || piece === '') return '';
      this.#text += piece;
      return piece;
    });
  }

  result(): EngineResult {
    return {
      choices: [{ text: this.#text, logprobs: null, finishReason: this.#finish ?? 'other' }],
      usage: this.#usage,
    };
  }
}

function finishOf(value: unknown): EngineFinish {
  return value === 'stop' || value === 'length' || value === 'abort' ? value : 'other';
}

function logprobsOf(choice: Obj, path: string): TokenLogprob[] | null {
  if (choice['logprobs'] === null || choice['logprobs'] === undefined) return null;
  const content = obj(choice['logprobs'], `${path}.logprobs`)['content'];
  if (!Array.isArray(content)) throw new ShapeError(`${path}.logprobs.content: not a list`);
  return content.map((entry, i) => {
    const at = `${path}.logprobs.content[${i}]`;
    const e = obj(entry, at);
    const tops = e['top_logprobs'];
    if (!Array.isArray(tops)) throw new ShapeError(`${at}.top_logprobs: not a list`);
    return {
      ...tokenOf(e, at),
      top: tops.map((t, j) => tokenOf(obj(t, `${at}.top_logprobs[${j}]`), `${at}.top_logprobs[${j}]`)),
    };
  });
}

/** A log-probability may be -Infinity (probability 0 after top-p), never NaN. */
function tokenOf(e: Obj, at: string): { token: string; logprob: number } {
  const token = e['token'];
  const logprob = e['logprob'];
  if (typeof token !== 'string') throw new ShapeError(`${at}.token: not a string`);
  if (typeof logprob !== 'number' || Number.isNaN(logprob)) throw new ShapeError(`${at}.logprob: not a number`);
  return { token, logprob };
}

function usageOf(value: unknown): ChatUsage {
  const u = value !== null && typeof value === 'object' ? (value as Obj) : {};
  const extra = u['extra'] !== null && typeof u['extra'] === 'object' ? (u['extra'] as Obj) : {};
  return {
    promptTokens: count(u['prompt_tokens']),
    completionTokens: count(u['completion_tokens']),
    prefillTokensPerSecond: rate(extra['prefill_tokens_per_s']),
    decodeTokensPerSecond: rate(extra['decode_tokens_per_s']),
  };
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
/** web-llm divides by a zero time for an empty generation (Infinity, NaN): that is "cannot tell". */
const rate = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);

function guarded<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new LlmError(
      'bad-response',
      `The in-browser engine sent a reply Semiverse cannot read (${error.message}).`,
      'Reload the page and try again; if it persists, report it as a bug.',
      false,
      { cause: error },
    );
  }
}
