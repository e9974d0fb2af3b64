/**
 * An LlmClient that answers from a scenario (llmScenario.ts) instead of a model: for tests of the pipeline's
 * LLM stages and of the UI around them. Test code only: test/unit/boundaries.test.ts proves the product never
 * imports it and that a production build does not contain it.
 *
 * Invariants:
 * - it behaves like an engine at the port: failures are LlmError with a code, cancelling rejects with an
 *   AbortError DOMException and emits nothing more, text streams through onToken in pieces that concatenate
 *   to the result's text, and at most `capabilities.concurrency` requests generate at once (the rest queue,
 *   as web-llm's engine does);
 * - a mistake in the test or its scenario (no rule matches, a JSON-schema request answered with non-JSON the
 *   scenario did not mark `invalidJson`) throws a plain Error, never an LlmError, so the code under test
 *   cannot mistake it for an engine failure it handles;
 * - a rule's replies are handed out in the order requests arrive, whatever order they finish in; a request
 *   for `n` completions takes the rule's next n replies (at most `capabilities.maxChoices` of them, as an
 *   engine caps `n`), generated one after another, and n > 1 with onToken fails 'bad-request' as everywhere;
 * - a request that ends with an assistant message is continued only where `capabilities.continuesAssistant`
 *   ('unsupported' elsewhere, as the adapters do); a reply that starts with that message's text returns
 *   only the rest, so one scenario serves requests with and without the opener;
 * - every request is recorded (a copy, as received) with the rule that answered it and how it ended.
 */
import type { LlmClient } from '../../src/core/ports.ts';
import {
  LlmError,
  chatResult,
  choicesToAsk,
  isPrefill,
  type ChatChoice,
  type ChatOptions,
  type ChatRequest,
  type ChatResult,
  type ChatUsage,
  type LlmCapabilities,
  type TokenLogprob,
} from '../../src/domain/llm.ts';
import {
  SCRIPTED_LLM_MARKER,
  isJson,
  tokenize,
  type Reply,
  type Rule,
  type Scenario,
  type TextMatch,
  type TextReply,
} from './llmScenario.ts';

export type RecordedRequest = {
  request: ChatRequest;
  /** The answering rule's stage; null when none matched. */
  stage: string | null;
  /** Index into that rule's replies (of the first choice). */
  reply: number | null;
  /** Indexes into that rule's replies, one per choice answered; [] when none matched. */
  replies: number[];
  outcome: 'pending' | 'ok' | 'error' | 'aborted';
};

/** The logprob of a generated token the scenario gives no distribution for: the model was sure. */
const SURE = Math.log(0.99);

export class ScriptedLlm implements LlmClient {
  readonly capabilities: LlmCapabilities;
  readonly requests: RecordedRequest[] = [];
  readonly #rules: { rule: Rule; served: number; matches: (request: ChatRequest) => boolean }[];
  readonly #queue: (() => void)[] = [];
  readonly #unloaded = new AbortController();
  #inFlight = 0;
  #maxInFlight = 0;

  constructor(
    readonly scenario: Scenario,
    model: string = scenario.capabilities.model,
  ) {
    this.capabilities = { ...scenario.capabilities, model };
    this.#rules = scenario.rules.map((rule) => ({ rule, served: 0, matches: matcher(rule) }));
  }

  /** Requests generating right now, and the most there ever were at once. */
  get inFlight(): number {
    return this.#inFlight;
  }
  get maxInFlight(): number {
    return this.#maxInFlight;
  }
  get disposed(): boolean {
    return this.#unloaded.signal.aborted;
  }

  /** The requests a stage's rule answered, in arrival order. */
  requestsFor(stage: string): ChatRequest[] {
    return this.requests.filter((r) => r.stage === stage).map((r) => r.request);
  }

  async chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResult> {
    const record: RecordedRequest = {
      request: structuredClone(request),
      stage: null,
      reply: null,
      replies: [],
      outcome: 'error',
    };
    this.requests.push(record);
    const { signal, onToken } = options;
    const n = this.#refuseUnservable(request, onToken !== undefined);
    if (signal?.aborted) {
      record.outcome = 'aborted';
      throw abortError();
    }
    const entry = this.#rules.find((r) => r.matches(request));
    if (!entry)
      throw new Error(
        `${SCRIPTED_LLM_MARKER} (scenario "${this.scenario.name}"): no rule matches the request whose last user message is ${JSON.stringify(lastUser(request).slice(0, 200))}`,
      );
    record.stage = entry.rule.stage;
    record.replies = Array.from({ length: n }, () => Math.min(entry.served++, entry.rule.replies.length - 1));
    record.reply = record.replies[0] ?? null;
    const replies = record.replies.map((i) => entry.rule.replies[i] as Reply);
    record.outcome = 'pending';
    try {
      await this.#acquire(signal);
      try {
        const result = await this.#generate(request, replies, signal, onToken);
        record.outcome = 'ok';
        return result;
      } finally {
        this.#release();
      }
    } catch (error) {
      record.outcome = error instanceof DOMException && error.name === 'AbortError' ? 'aborted' : 'error';
      throw error;
    }
  }

  /** Unloads: later requests, and those queued or generating, fail with 'not-loaded'. */
  async dispose(): Promise<void> {
    this.#unloaded.abort();
  }

  /** What a real engine refuses before generating anything; else how many choices to answer. */
  #refuseUnservable(request: ChatRequest, streaming: boolean): number {
    if (this.disposed) throw new LlmError('not-loaded', `${SCRIPTED_LLM_MARKER}: disposed`, 'Load the model again.');
    if (isPrefill(request) && !this.capabilities.continuesAssistant)
      throw new LlmError('unsupported', `${SCRIPTED_LLM_MARKER}: no prefill`, 'Put the opener into the question.');
    const top = request.topLogprobs;
    if (top !== undefined && !this.capabilities.logprobs)
      throw new LlmError('unsupported', `${SCRIPTED_LLM_MARKER}: no logprobs`, 'Use an engine with logprobs.');
    if (top !== undefined && !(Number.isInteger(top) && top >= 1 && top <= 5))
      throw new LlmError('bad-request', `${SCRIPTED_LLM_MARKER}: topLogprobs ${top} not in 1..5`, 'Ask for 1 to 5.');
    if (request.jsonSchema !== undefined && !this.capabilities.jsonSchema)
      throw new LlmError('unsupported', `${SCRIPTED_LLM_MARKER}: no JSON schema`, 'Use an engine with JSON output.');
    return choicesToAsk(request, this.capabilities.maxChoices, streaming);
  }

  /** The replies one after another (as web-llm generates `n` choices), as one result; an error reply fails it. */
  async #generate(
    request: ChatRequest,
    replies: Reply[],
    signal: AbortSignal | undefined,
    onToken: ((delta: string) => void) | undefined,
  ): Promise<ChatResult> {
    const done: { choice: ChatChoice; tokens: number; usage: Partial<ChatUsage> }[] = [];
    for (const reply of replies) done.push(await this.#choice(request, reply, signal, onToken));
    const [head, ...tail] = done;
    if (!head) throw new Error(`${SCRIPTED_LLM_MARKER}: a request answered with no reply`);
    return chatResult([head.choice, ...tail.map((d) => d.choice)], {
      // The prompt is read once for all choices, as a batching server does.
      promptTokens: request.messages.reduce((sum, m) => sum + tokenize(m.content).length, 0),
      completionTokens: done.reduce((sum, d) => sum + d.tokens, 0),
      prefillTokensPerSecond: null,
      decodeTokensPerSecond: null,
      ...head.usage,
    });
  }

  async #choice(
    request: ChatRequest,
    reply: Reply,
    signal: AbortSignal | undefined,
    onToken: ((delta: string) => void) | undefined,
  ): Promise<{ choice: ChatChoice; tokens: number; usage: Partial<ChatUsage> }> {
    const { tokens, finishReason } =
      reply.type === 'text' ? shape(reply, request) : streamOf(continuation(reply.text, request));
    for (const token of tokens) {
      await this.#wait(reply.delayMs, signal);
      onToken?.(token);
    }
    this.#throwIfStopped(signal);
    if (reply.type === 'error') throw new LlmError(reply.code, reply.message, reply.action, reply.retryable);
    const text = tokens.join('');
    if (request.jsonSchema !== undefined && finishReason === 'stop' && !reply.invalidJson && !isJson(text))
      throw new Error(
        `${SCRIPTED_LLM_MARKER} (scenario "${this.scenario.name}"): a JSON-schema request got non-JSON ${JSON.stringify(text.slice(0, 200))}; mark the reply invalidJson if that is the point`,
      );
    const top = request.topLogprobs;
    return {
      choice: { text, logprobs: top === undefined ? null : logprobs(tokens, reply, top), finishReason },
      tokens: tokens.length,
      usage: reply.usage,
    };
  }

  /** Take a generation slot, or wait in line for one. */
  async #acquire(signal: AbortSignal | undefined): Promise<void> {
    this.#throwIfStopped(signal);
    if (this.#inFlight < this.capabilities.concurrency) {
      this.#inFlight += 1;
      this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
      return;
    }
    const stop = AbortSignal.any([this.#unloaded.signal, ...(signal ? [signal] : [])]);
    await new Promise<void>((resolve, reject) => {
      const take = (): void => {
        stop.removeEventListener('abort', leave);
        resolve();
      };
      const leave = (): void => {
        this.#queue.splice(this.#queue.indexOf(take), 1);
        try {
          this.#throwIfStopped(signal);
        } catch (error) {
          reject(error);
        }
      };
      stop.addEventListener('abort', leave, { once: true });
      this.#queue.push(take);
    });
  }

  /** Hand the slot to the next in line (so the count never dips and lets a newcomer overtake), or free it. */
  #release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#inFlight -= 1;
  }

  async #wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    this.#throwIfStopped(signal);
    if (ms > 0) {
      const stop = AbortSignal.any([this.#unloaded.signal, ...(signal ? [signal] : [])]);
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, ms);
        stop.addEventListener('abort', done, { once: true });
      });
    }
    this.#throwIfStopped(signal);
  }

  /** The caller's cancellation wins over an unload: it asked first or at the same time. */
  #throwIfStopped(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw abortError();
    if (this.disposed)
      throw new LlmError('not-loaded', `${SCRIPTED_LLM_MARKER}: unloaded while busy`, 'Load the model again.');
  }
}

function abortError(): DOMException {
  return new DOMException(`${SCRIPTED_LLM_MARKER}: the request was aborted`, 'AbortError');
}

function streamOf(text: string): { tokens: string[]; finishReason: 'stop' } {
  return { tokens: tokenize(text), finishReason: 'stop' };
}

/** What follows the request's trailing assistant message in a reply that starts with it; else the reply. */
function continuation(text: string, request: ChatRequest): string {
  const started = isPrefill(request) ? (request.messages.at(-1)?.content ?? '') : '';
  return started !== '' && text.startsWith(started) ? text.slice(started.length) : text;
}

/** The reply as the request's stop strings and token limit cut it, as an engine would. */
function shape(reply: TextReply, request: ChatRequest): { tokens: string[]; finishReason: TextReply['finishReason'] } {
  let text = continuation(reply.text, request);
  let finishReason = reply.finishReason;
  for (const stop of request.stop ?? []) {
    const at = stop === '' ? -1 : text.indexOf(stop);
    if (at >= 0) {
      text = text.slice(0, at);
      finishReason = 'stop';
    }
  }
  const tokens = tokenize(text);
  if (request.maxTokens !== undefined && tokens.length > request.maxTokens)
    return { tokens: tokens.slice(0, request.maxTokens), finishReason: 'length' };
  return { tokens, finishReason };
}

function logprobs(tokens: string[], reply: Reply, top: number): TokenLogprob[] {
  return tokens.map((token, i) => {
    const given = i === 0 && reply.type === 'text' ? reply.logprobs?.first : undefined;
    if (!given) return { token, logprob: SURE, top: [{ token, logprob: SURE }] };
    const alternatives = Object.entries(given)
      .map(([alternative, logprob]) => ({ token: alternative, logprob }))
      .sort((a, b) => b.logprob - a.logprob)
      .slice(0, top);
    return { token, logprob: given[token] ?? SURE, top: alternatives };
  });
}

function matcher(rule: Rule): (request: ChatRequest) => boolean {
  const { lastUser: user, system, jsonSchema, topLogprobs } = rule.match;
  const userMatches = user ? textMatcher(user) : null;
  const systemMatches = system ? textMatcher(system) : null;
  return (request) =>
    (userMatches === null || userMatches(lastUser(request))) &&
    (systemMatches === null ||
      systemMatches(
        request.messages
          .filter((m) => m.role === 'system')
          .map((m) => m.content)
          .join('\n'),
      )) &&
    (jsonSchema === null || jsonSchema === (request.jsonSchema !== undefined)) &&
    (topLogprobs === null || topLogprobs === (request.topLogprobs !== undefined));
}

function textMatcher(match: TextMatch): (text: string) => boolean {
  if ('contains' in match) return (text) => text.includes(match.contains);
  const regex = new RegExp(match.regex, match.flags.replace(/[gy]/g, ''));
  return (text) => regex.test(text);
}

function lastUser(request: ChatRequest): string {
  return request.messages.findLast((m) => m.role === 'user')?.content ?? '';
}
